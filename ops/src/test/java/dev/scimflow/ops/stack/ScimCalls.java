package dev.scimflow.ops.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.scimflow.ops.Json;
import tools.jackson.databind.JsonNode;

/** The HTTP calls an IdP and an operator make against a running stack, as the README's curl walk-through does. */
final class ScimCalls {

    static final String SCIM_JSON = "application/scim+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ReadyLine ready;

    ScimCalls(ReadyLine ready) {
        this.ready = ready;
    }

    record Reply(int status, String location, JsonNode body) {
    }

    Reply createUser(String token, String userName) {
        return send(token, HttpRequest.newBuilder(URI.create(ready.scimBaseUrl() + "/Users"))
                .header("Content-Type", SCIM_JSON)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                         "userName":"%s","active":true,"name":{"givenName":"Alice","familyName":"Smith"}}"""
                        .formatted(userName))));
    }

    Reply createGroup(String token, String displayName, String memberId) {
        return send(token, HttpRequest.newBuilder(URI.create(ready.scimBaseUrl() + "/Groups"))
                .header("Content-Type", SCIM_JSON)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
                         "displayName":"%s","members":[{"value":"%s"}]}""".formatted(displayName, memberId))));
    }

    Reply get(String token, String url) {
        return send(token, HttpRequest.newBuilder(URI.create(url)).GET());
    }

    Reply deactivate(String token, String url) {
        return send(token, HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", SCIM_JSON)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("""
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","value":{"active":false}}]}""")));
    }

    /** Creates a push stream of the tenant's deactivations to this receiver endpoint, as the README's walk-through does. */
    Reply subscribeToDeactivations(String token, String endpoint) {
        return send(token, HttpRequest.newBuilder(URI.create(ready.eventsUrl() + "/ssf/streams"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"%s"},
                         "events_requested":["urn:ietf:params:scim:event:prov:deactivate"]}""".formatted(endpoint))));
    }

    Reply deactivations() {
        return send(ready.auditToken(), HttpRequest.newBuilder(URI.create(ready.auditUrl() + "/api/v1/deactivations")).GET());
    }

    private Reply send(String token, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", SCIM_JSON + ", application/json")
                    .timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : Json.MAPPER.readTree(response.body());
            return new Reply(response.statusCode(), response.headers().firstValue("Location").orElse(null), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
