package dev.scimflow.ssf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.scimflow.ssf.stream.Streams;
import tools.jackson.databind.JsonNode;

/** Stream configuration, status and discovery (SSF 1.0), and that a receiver sees only its own tenant's streams. */
class StreamManagementIT extends RunningEventsService {

    @Autowired
    Streams streams;

    @Test
    void positionsSavedAfterTheStreamWasDeletedAreDroppedWithoutAnError() {
        Tenant tenant = newTenant();
        String id = json("POST", "/ssf/streams", tenant.token(), "{\"delivery\":{\"method\":\"urn:ietf:rfc:8936\"}}", 201)
                .get("stream_id").asString();
        streams.savePositions(id, Map.of(0, 41L, 1, 42L));
        assertThat(streams.positions(id)).containsEntry(0, 41L).containsEntry(1, 42L);

        assertThat(call("DELETE", "/ssf/streams?stream_id=" + id, tenant.token(), null).statusCode()).isEqualTo(204);
        // what a delivery stopping after the deletion saves
        streams.savePositions(id, Map.of(0, 43L, 1, 44L));

        assertThat(streams.positions(id)).isEmpty();
    }

    @Test
    void theTransmitterDescribesItselfAndPublishesItsKeys() {
        JsonNode metadata = json("GET", "/.well-known/ssf-configuration", null, null, 200);
        assertThat(metadata.get("issuer").asString()).isEqualTo("http://events.test");
        assertThat(metadata.get("jwks_uri").asString()).isEqualTo("http://events.test/ssf/jwks");
        assertThat(metadata.get("configuration_endpoint").asString()).isEqualTo("http://events.test/ssf/streams");
        assertThat(metadata.get("status_endpoint").asString()).isEqualTo("http://events.test/ssf/status");
        assertThat(metadata.get("verification_endpoint").asString()).isEqualTo("http://events.test/ssf/verify");
        assertThat(metadata.get("delivery_methods_supported").valueStream().map(JsonNode::asString))
                .containsExactly("urn:ietf:rfc:8935", "urn:ietf:rfc:8936");
        JsonNode keys = json("GET", "/ssf/jwks", null, null, 200).get("keys");
        assertThat(keys).isNotEmpty();
        assertThat(keys.get(0).get("kty").asString()).isEqualTo("EC");
        assertThat(keys.get(0).has("d")).as("the private part is never published").isFalse();
    }

    @Test
    void aStreamIsCreatedReadUpdatedPausedAndDeletedByItsTenantOnly() {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        JsonNode created = json("POST", "/ssf/streams", tenant.token(), """
                {"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"https://receiver.example/events",
                             "authorization_header":"Bearer secret-of-the-receiver"},
                 "events_requested":["urn:ietf:params:scim:event:prov:create:full","urn:ietf:params:scim:event:prov:create:notice",
                                     "urn:ietf:params:scim:event:prov:deactivate","urn:example:unknown"],
                 "description":"chat server"}""", 201);
        String id = created.get("stream_id").asString();
        assertThat(created.get("events_delivered").valueStream().map(JsonNode::asString))
                .containsExactly("urn:ietf:params:scim:event:prov:create:full", "urn:ietf:params:scim:event:prov:deactivate");
        assertThat(created.toString()).doesNotContain("secret-of-the-receiver");

        assertThat(json("GET", "/ssf/streams?stream_id=" + id, tenant.token(), null, 200).get("description").asString())
                .isEqualTo("chat server");
        assertThat(json("GET", "/ssf/streams", tenant.token(), null, 200)).hasSize(1);
        assertThat(json("GET", "/ssf/streams", other.token(), null, 200)).isEmpty();
        assertThat(call("GET", "/ssf/streams?stream_id=" + id, other.token(), null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/ssf/streams?stream_id=" + id, other.token(), null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/ssf/streams", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/ssf/streams", "not-a-token", null).statusCode()).isEqualTo(401);

        JsonNode patched = json("PATCH", "/ssf/streams", tenant.token(),
                "{\"stream_id\":\"%s\",\"events_requested\":[\"urn:ietf:params:scim:event:prov:delete\"]}".formatted(id), 200);
        assertThat(patched.get("description").asString()).isEqualTo("chat server");
        assertThat(patched.get("events_delivered").valueStream().map(JsonNode::asString))
                .containsExactly("urn:ietf:params:scim:event:prov:delete");
        JsonNode replaced = json("PUT", "/ssf/streams", tenant.token(),
                "{\"stream_id\":\"%s\",\"delivery\":{\"method\":\"urn:ietf:rfc:8936\"}}".formatted(id), 200);
        assertThat(replaced.has("description")).isFalse();
        assertThat(replaced.get("delivery").get("method").asString()).isEqualTo("urn:ietf:rfc:8936");

        assertThat(json("GET", "/ssf/status?stream_id=" + id, tenant.token(), null, 200).get("status").asString()).isEqualTo("enabled");
        json("POST", "/ssf/status", tenant.token(), "{\"stream_id\":\"%s\",\"status\":\"paused\",\"reason\":\"maintenance\"}".formatted(id),
                200);
        JsonNode status = json("GET", "/ssf/status?stream_id=" + id, tenant.token(), null, 200);
        assertThat(status.get("status").asString()).isEqualTo("paused");
        assertThat(status.get("reason").asString()).isEqualTo("maintenance");
        assertThat(call("POST", "/ssf/status", tenant.token(), "{\"stream_id\":\"%s\",\"status\":\"sleeping\"}".formatted(id)).statusCode())
                .isEqualTo(400);

        assertThat(call("DELETE", "/ssf/streams?stream_id=" + id, tenant.token(), null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/ssf/streams?stream_id=" + id, tenant.token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void anInvalidStreamIsRefusedWithTheReason() {
        Tenant tenant = newTenant();
        JsonNode noMethod = json("POST", "/ssf/streams", tenant.token(), "{\"events_requested\":[]}", 400);
        assertThat(noMethod.get("err").asString()).isEqualTo("invalid_request");
        json("POST", "/ssf/streams", tenant.token(), "{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\",\"endpoint_url\":\"ftp://x\"}}", 400);
        json("POST", "/ssf/streams", tenant.token(), "{\"delivery\":{\"method\":\"urn:example:carrier-pigeon\"}}", 400);
        json("POST", "/ssf/streams", tenant.token(), "[1,2]", 400);
    }
}
