package dev.scimflow.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Asynchronous SCIM requests as an IdP sends them, and the JSON bodies of those requests. */
public final class ScimClient {

    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String BULK_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    static final String CLIENT_NAME = "scimflow-bench";
    static final String REQUEST_ID = "X-Request-Id";

    /** A response, or the reason there is none ({@link OperationStats#TIMEOUT}, {@link OperationStats#IO_ERROR}). */
    /** An answer, or {@code failure} ({@link OperationStats#TIMEOUT}, {@link OperationStats#IO_ERROR}) without one. */
    public record Reply(int status, String body, String failure, String requestId) {

        String outcome() {
            return failure != null ? failure : Integer.toString(status);
        }

        public boolean ok() {
            return failure == null && status / 100 == 2;
        }
    }

    /** Bodies the benchmark reads are small; a larger one is a failure of the request, not a reason to buffer it. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;
    private final String requestIds;
    private final AtomicLong sent = new AtomicLong();

    private ScimClient(HttpClient http, String baseUrl, Duration timeout, String requestIds) {
        this.http = http;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.requestIds = requestIds;
    }

    /**
     * The benchmark's client, on Jetty's asynchronous HTTP/1.1 client with up to {@code connections} kept-alive connections:
     * one selector thread and a few handler threads. The load generator shares the cores of the stack it measures, so
     * its cost per request is part of every figure: Jetty's is a fraction of the JDK client's (which used about as much
     * CPU per request as the ingress answering it, and held a GET run to one core of client).
     */
    public static ScimClient start(String baseUrl, Duration timeout, int connections, String requestIds) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("bench-http");
        threads.setDaemon(true);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(1));
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(connections);
        http.setMaxRequestsQueuedPerDestination(Math.max(1024, connections * 4));
        http.setConnectTimeout(5_000);
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        http.start();
        return new ScimClient(http, baseUrl, timeout, requestIds);
    }

    public void stop() throws Exception {
        http.stop();
    }

    /**
     * Sends a request with an {@code X-Request-Id} of its own ({@code <requestIds>-<n>}), which the ingress takes as the
     * request's id: a request that failed can be looked up in the stack's request log and logs by it.
     */
    public CompletableFuture<Reply> send(String token, String method, String path, String body) {
        String requestId = requestIds + "-" + sent.incrementAndGet();
        Request request = http.newRequest(baseUrl + path).method(method).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token).put(REQUEST_ID, requestId)
                        .put(HttpHeader.ACCEPT, "application/scim+json")
                        .put(HttpHeader.USER_AGENT, CLIENT_NAME));
        if (body != null) {
            request.body(new StringRequestContent("application/scim+json", body, StandardCharsets.UTF_8));
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        request.send(new BufferingResponseListener(MAX_BODY_BYTES) {
            @Override
            public void onComplete(org.eclipse.jetty.client.Result result) {
                reply.complete(result.isSucceeded()
                        ? new Reply(result.getResponse().getStatus(), getContentAsString(StandardCharsets.UTF_8), null, requestId)
                        : new Reply(0, null, result.getFailure() instanceof TimeoutException
                                ? OperationStats.TIMEOUT
                                : OperationStats.IO_ERROR, requestId));
            }
        });
        return reply;
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

    public static String activePatch(boolean active) {
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
