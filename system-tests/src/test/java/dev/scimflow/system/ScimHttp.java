package dev.scimflow.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A SCIM client as plain as an IdP's: HTTP requests with a bearer token and JSON bodies, nothing hidden. */
final class ScimHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;
    private final String token;
    private final String userAgent;
    private final String accept;

    ScimHttp(String baseUrl, String token, String userAgent) {
        this(baseUrl, token, userAgent, "application/scim+json");
    }

    private ScimHttp(String baseUrl, String token, String userAgent, String accept) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.userAgent = userAgent;
        this.accept = accept;
    }

    /** The audit service's operator API, which speaks plain JSON. */
    static ScimHttp operatorApi(Pipeline pipeline) {
        return new ScimHttp(pipeline.auditUrl, pipeline.operatorToken, "operator", "application/json");
    }

    /** An answer: status, headers and the body parsed as JSON (null when empty). */
    record Answer(int status, Map<String, java.util.List<String>> headers, JsonNode body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Answer get(String path) {
        return send("GET", path, null, Map.of());
    }

    Answer post(String path, String json) {
        return send("POST", path, json, Map.of());
    }

    Answer put(String path, String json) {
        return send("PUT", path, json, Map.of());
    }

    Answer patch(String path, String json) {
        return send("PATCH", path, json, Map.of());
    }

    Answer delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    Answer send(String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", userAgent)
                .header("Accept", accept)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/scim+json; charset=utf-8");
        }
        headers.forEach(request::setHeader);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.headers().map(), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String query(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }
}
