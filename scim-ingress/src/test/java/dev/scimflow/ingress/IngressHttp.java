package dev.scimflow.ingress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

import dev.scimflow.events.EventCodec;
import dev.scimflow.store.TenantTokens;
import tools.jackson.databind.JsonNode;

/** Plain HTTP/1.1 against an ingress under test, as an IdP would send it, for the security tests. */
public final class IngressHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public IngressHttp(int port) {
        this.port = port;
    }

    /** A new tenant with one token: {name, token}. */
    public static String[] newTenant(DataSource dataSource) {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        TenantTokens tokens = new TenantTokens(dataSource);
        tokens.createTenant(tenant);
        return new String[]{tenant, tokens.issue(tenant, "security-test").token()};
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET());
    }

    public HttpResponse<String> send(String method, String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/scim+json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /**
     * The value of the sample of {@code name} at {@code /actuator/prometheus} whose labels include {@code labels}
     * ({@code "status=\"429\""}, ...), or -1 when there is none.
     */
    public double metric(String name, String... labels) {
        for (String line : get("/actuator/prometheus", null).body().split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    public static JsonNode json(HttpResponse<String> response) {
        return EventCodec.mapper().readTree(response.body());
    }

    public static String query(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
