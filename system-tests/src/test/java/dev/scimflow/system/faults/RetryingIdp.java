package dev.scimflow.system.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A SCIM client that behaves as an IdP does under failure: each write carries an {@code Idempotency-Key}, and an
 * answer of 503 (or no answer at all) is retried with the same key until a final answer comes. It counts the
 * retries, so a test can show that faults happened, and keeps each refusal (its status, {@code Retry-After} and how
 * long it took to come), so a test can hold them to what the README documents.
 */
final class RetryingIdp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<Integer> RETRIED = Set.of(500, 502, 503, 504, 429);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;
    private final String token;
    final AtomicInteger retries = new AtomicInteger();
    final java.util.Queue<Refusal> refusals = new java.util.concurrent.ConcurrentLinkedQueue<>();

    record Answer(int status, JsonNode body, String retryAfter) {
    }

    /** An answer the IdP retried: its status and {@code Retry-After}, and how long it took to come. */
    record Refusal(int status, String retryAfter, Duration took) {
    }

    RetryingIdp(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Creates a user; the key makes every retry the same change, with the same resource id. */
    String create(String userName, boolean active, String key) {
        Answer answer = write("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","active":%s,
                 "name":{"givenName":"G %s","familyName":"F"},"emails":[{"value":"%s","primary":true}]}"""
                .formatted(userName, active, userName, userName), key);
        if (answer.status() != 201) {
            throw new IllegalStateException("create " + userName + " answered " + answer);
        }
        return answer.body().get("id").asString();
    }

    void deactivate(String id, String key) {
        Answer answer = write("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""",
                key);
        if (answer.status() != 200) {
            throw new IllegalStateException("deactivate " + id + " answered " + answer);
        }
    }

    /** Creates a group with these members; the key makes every retry the same change. */
    String createGroup(String displayName, java.util.List<String> memberIds, String key) {
        String members = memberIds.stream().map(id -> "{\"value\":\"" + id + "\"}").collect(java.util.stream.Collectors.joining(","));
        Answer answer = write("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"%s","members":[%s]}"""
                .formatted(displayName, members), key);
        if (answer.status() != 201) {
            throw new IllegalStateException("create group " + displayName + " answered " + answer);
        }
        return answer.body().get("id").asString();
    }

    /** A PATCH of a group or user with these operations (a JSON array); any 2xx answer is success. */
    void patch(String path, String operations, String key) {
        Answer answer = write("PATCH", path, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":%s}""".formatted(operations), key);
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException("PATCH " + path + " answered " + answer);
        }
    }

    void delete(String path, String key) {
        Answer answer = write("DELETE", path, null, key);
        if (answer.status() != 204) {
            throw new IllegalStateException("DELETE " + path + " answered " + answer);
        }
    }

    /** A write, retried with the same key (on 5xx and 429, as IdPs do) until it gets a final answer (or 5 minutes passed). */
    Answer write(String method, String path, String json, String key) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            try {
                Instant sent = Instant.now();
                Answer answer = send(method, path, json, key, Duration.ofSeconds(30));
                if (!RETRIED.contains(answer.status())) {
                    return answer;
                }
                refusals.add(new Refusal(answer.status(), answer.retryAfter(), Duration.between(sent, Instant.now())));
            } catch (IOException noAnswer) {
                // connection refused or reset: the IdP tries again later, like a 503
            }
            retries.incrementAndGet();
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(method + " " + path + " got no final answer in 5 minutes");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    Answer send(String method, String path, String json, String key, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/scim+json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/scim+json");
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()),
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
