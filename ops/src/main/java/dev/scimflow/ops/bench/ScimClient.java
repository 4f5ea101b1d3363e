package dev.scimflow.ops.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Asynchronous SCIM requests as an IdP sends them, and the JSON bodies of those requests. */
final class ScimClient {

    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String BULK_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    static final String CLIENT_NAME = "scimflow-bench";

    /** A response, or the reason there is none ({@link OperationStats#TIMEOUT}, {@link OperationStats#IO_ERROR}). */
    record Reply(int status, String body, String failure) {

        String outcome() {
            return failure != null ? failure : Integer.toString(status);
        }

        boolean ok() {
            return failure == null && status / 100 == 2;
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;

    ScimClient(HttpClient http, String baseUrl, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
    }

    /**
     * The benchmark's client. Replies are handled on the client's own selector thread (a direct executor): the handlers
     * only record a latency and free a slot, and handing each reply to a pool thread first cost the load generator about
     * as much CPU as the ingress spends on the request, on the same cores as the stack it measures.
     */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(Runnable::run).build();
    }

    CompletableFuture<Reply> send(String token, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/scim+json")
                .header("User-Agent", CLIENT_NAME);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/scim+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure == null
                        ? new Reply(response.statusCode(), response.body(), null)
                        : new Reply(0, null, failureKind(failure)));
    }

    private static String failureKind(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof HttpTimeoutException ? OperationStats.TIMEOUT : OperationStats.IO_ERROR;
    }

    static String userNameFilter(String userName) {
        return "/Users?filter=" + URLEncoder.encode("userName eq \"" + userName + "\"", StandardCharsets.UTF_8);
    }

    static String newUser(String userName, String givenName, String familyName) {
        return "{\"schemas\":[\"" + USER_SCHEMA + "\"],\"userName\":\"" + userName + "\",\"name\":{\"givenName\":\"" + givenName
                + "\",\"familyName\":\"" + familyName + "\"},\"displayName\":\"" + givenName + " " + familyName
                + "\",\"emails\":[{\"value\":\"" + userName + "\",\"type\":\"work\",\"primary\":true}],\"active\":true}";
    }

    static String replacedUser(String userName, String givenName, String familyName, String title, boolean active) {
        return "{\"schemas\":[\"" + USER_SCHEMA + "\"],\"userName\":\"" + userName + "\",\"name\":{\"givenName\":\"" + givenName
                + "\",\"familyName\":\"" + familyName + "\"},\"displayName\":\"" + givenName + " " + familyName
                + "\",\"title\":\"" + title + "\",\"emails\":[{\"value\":\"" + userName
                + "\",\"type\":\"work\",\"primary\":true}],\"active\":" + active + "}";
    }

    static String activePatch(boolean active) {
        return "{\"schemas\":[\"" + PATCH_SCHEMA + "\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":" + active + "}}]}";
    }

    static String newGroup(String displayName) {
        return "{\"schemas\":[\"" + GROUP_SCHEMA + "\"],\"displayName\":\"" + displayName + "\"}";
    }

    static String addMember(String userId) {
        return "{\"schemas\":[\"" + PATCH_SCHEMA + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + userId + "\"}]}]}";
    }

    static String removeMember(String userId) {
        return "{\"schemas\":[\"" + PATCH_SCHEMA + "\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\""
                + userId + "\\\"]\"}]}";
    }
}
