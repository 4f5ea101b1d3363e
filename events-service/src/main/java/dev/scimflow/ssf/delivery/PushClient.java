package dev.scimflow.ssf.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.scimflow.events.EventCodec;
import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.stream.StreamConfig;
import dev.scimflow.ssf.token.SetSigner;
import tools.jackson.databind.JsonNode;

/**
 * POSTs one SET to a push receiver as RFC 8935 §2 says ({@code Content-Type: application/secevent+jwt}, the stream's
 * {@code Authorization}) and classifies the answer: any 2xx is delivered; 400 and other 4xx are the receiver refusing
 * this SET for good (§2.3, recorded); no answer, 5xx, 429, 408, and 401/403/404 — a receiver down, overloaded or
 * misconfigured, which says nothing about the SET — are retried.
 */
@Component
class PushClient {

    private static final Set<Integer> RETRIED_4XX = Set.of(401, 403, 404, 408, 425, 429);

    /** What became of one POST. */
    sealed interface Result {
    }

    record Delivered() implements Result {
    }

    record Refused(int status, String error, String description) implements Result {
    }

    record Retry(String reason) implements Result {
    }

    private final HttpClient http;
    private final EventsProperties properties;

    PushClient(EventsProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(properties.push().timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Result post(StreamConfig stream, String jwt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stream.endpointUrl()))
                .timeout(properties.push().timeout())
                .header("Content-Type", "application/" + SetSigner.TYPE)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jwt));
        if (stream.authorizationHeader() != null && !stream.authorizationHeader().isBlank()) {
            request.header("Authorization", stream.authorizationHeader());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Retry(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Retry("interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Delivered();
        }
        if (status >= 400 && status < 500 && !RETRIED_4XX.contains(status)) {
            return refused(status, response.body());
        }
        return new Retry("HTTP " + status);
    }

    /** RFC 8935 §2.3: {@code {"err": "invalid_key", "description": "..."}}, when the receiver says so. */
    private static Refused refused(int status, String body) {
        try {
            JsonNode error = EventCodec.mapper().readTree(body == null ? "" : body.substring(0, Math.min(body.length(), 4096)));
            return new Refused(status, error.path("err").asString(null), error.path("description").asString(null));
        } catch (RuntimeException e) {
            return new Refused(status, null, null);
        }
    }
}
