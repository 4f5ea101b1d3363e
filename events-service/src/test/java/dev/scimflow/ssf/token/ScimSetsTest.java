package dev.scimflow.ssf.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.SecurityEventUris;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Which RFC 9967 events one fact on scim.events is, and what each carries. */
class ScimSetsTest {

    private static final Set<String> EVERYTHING_NOTICE = Set.of(SecurityEventUris.CREATE_NOTICE, SecurityEventUris.PATCH_NOTICE,
            SecurityEventUris.PUT_NOTICE, SecurityEventUris.DELETE, SecurityEventUris.ACTIVATE, SecurityEventUris.DEACTIVATE);
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void anOperationOfAnAsynchronousBulkRequestIsReportedUnderTheBulkTxnAndItsIndexWithItsBulkId() {
        UUID changeId = UUID.randomUUID();
        ChangeOutcome operation = new ChangeOutcome(changeId, "acme", "u1", 201, 1, user(true), null, null, ChangeOperation.CREATE,
                ResourceType.USER, true, "2d80e537a3f64622b0347b641ebc8f44:1", "qwerty");
        ChangeOutcome single = new ChangeOutcome(changeId, "acme", "u1", 409, 0, null, "uniqueness", "taken", ChangeOperation.CREATE,
                ResourceType.USER, true);

        JsonNode claims = ScimSets.asyncResponse(operation, "https://scim.example.com", "aud", "s1", NOW);
        assertThat(claims.get("txn").asString()).isEqualTo("2d80e537a3f64622b0347b641ebc8f44:1");
        JsonNode response = claims.get("events").get(SecurityEventUris.ASYNC_RESPONSE);
        assertThat(response.get("method").asString()).isEqualTo("POST");
        assertThat(response.get("bulkId").asString()).isEqualTo("qwerty");
        assertThat(response.get("status").asString()).isEqualTo("201");
        assertThat(claims.get("sub_id").get("uri").asString()).isEqualTo("/Users/u1");

        JsonNode alone = ScimSets.asyncResponse(single, "https://scim.example.com", "aud", "s1", NOW);
        assertThat(alone.get("txn").asString()).isEqualTo(changeId.toString());
        assertThat(alone.get("events").get(SecurityEventUris.ASYNC_RESPONSE).has("bulkId")).isFalse();
        assertThat(alone.get("events").get(SecurityEventUris.ASYNC_RESPONSE).get("response").get("scimType").asString())
                .isEqualTo("uniqueness");
    }

    @Test
    void aNoticeNamesTheAttributesThatChangedAndTheNewVersion() {
        ObjectNode before = user(true).put("title", "Engineer");
        ObjectNode after = user(true).put("title", "Manager");
        after.putObject("name").put("givenName", "Ada");
        JsonNode events = claims(event(EventType.REPLACED, before, after, null), EVERYTHING_NOTICE).get("events");

        assertThat(events.propertyNames()).containsExactly(SecurityEventUris.PUT_NOTICE);
        assertThat(events.get(SecurityEventUris.PUT_NOTICE).get("attributes").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("title", "name");
        assertThat(events.get(SecurityEventUris.PUT_NOTICE).get("version").asString()).isEqualTo("W/\"4\"");
    }

    @Test
    void deletingAnActiveUserIsADeleteAndADeactivationAndReactivatingIsAnActivation() {
        JsonNode deleted = claims(event(EventType.DELETED, user(true), null, null), EVERYTHING_NOTICE).get("events");
        assertThat(deleted.propertyNames()).containsExactly(SecurityEventUris.DELETE, SecurityEventUris.DEACTIVATE);
        assertThat(deleted.get(SecurityEventUris.DELETE).isEmpty()).isTrue();

        JsonNode reactivated = claims(event(EventType.PATCHED, user(false), user(true), null), Set.of(SecurityEventUris.ACTIVATE))
                .get("events");
        assertThat(reactivated.propertyNames()).containsExactly(SecurityEventUris.ACTIVATE);
    }

    @Test
    void aMembershipChangeInFullFormIsThePatchThatMadeIt() {
        ScimEvent added = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.GROUP, "g1", EventType.MEMBERS_ADDED, 7,
                null, null, new Actor("tok", "test"), "req", NOW, NOW, ScimEvent.SCHEMA_VERSION, List.of("u1", "u2"));
        JsonNode claims = claims(added, Set.of(SecurityEventUris.PATCH_FULL));

        assertThat(claims.get("sub_id").get("uri").asString()).isEqualTo("/Groups/g1");
        JsonNode operation = claims.get("events").get(SecurityEventUris.PATCH_FULL).get("data").get("Operations").get(0);
        assertThat(operation.get("op").asString()).isEqualTo("add");
        assertThat(operation.get("path").asString()).isEqualTo("members");
        assertThat(operation.get("value").valueStream().map(member -> member.get("value").asString())).containsExactly("u1", "u2");
    }

    @Test
    void aNestedGroupInAMembershipChangeIsTypedGroup() {
        ScimEvent added = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.GROUP, "g1", EventType.MEMBERS_ADDED, 7,
                null, null, new Actor("tok", "test"), "req", NOW, NOW, ScimEvent.SCHEMA_VERSION, List.of("g2"), ResourceType.GROUP);

        JsonNode member = claims(added, Set.of(SecurityEventUris.PATCH_FULL)).get("events").get(SecurityEventUris.PATCH_FULL)
                .get("data").get("Operations").get(0).get("value").get(0);
        assertThat(member.get("value").asString()).isEqualTo("g2");
        assertThat(member.get("type").asString()).isEqualTo("Group");
    }

    @Test
    void aFactTheStreamDidNotAskForMakesNoSetAndTheJtiIsTheSameForEveryDelivery() {
        ScimEvent created = event(EventType.CREATED, null, user(true), null);
        assertThat(ScimSets.claims(created, Set.of(SecurityEventUris.DEACTIVATE), "https://iss", "aud", "s1", NOW)).isEmpty();
        assertThat(claims(created, Set.of(SecurityEventUris.CREATE_FULL)).get("jti").asString())
                .isEqualTo(ScimSets.jti("s1", created.eventId()))
                .isNotEqualTo(ScimSets.jti("s2", created.eventId()));
    }

    private static JsonNode claims(ScimEvent event, Set<String> delivered) {
        return ScimSets.claims(event, delivered, "https://iss", "aud", "s1", NOW).orElseThrow();
    }

    private static ScimEvent event(EventType type, JsonNode before, JsonNode after, List<String> members) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.USER, "u1", type, 4, before, after,
                new Actor("tok", "test"), "req", NOW, NOW, ScimEvent.SCHEMA_VERSION, members);
    }

    private static ObjectNode user(boolean active) {
        ObjectNode user = EventCodec.mapper().createObjectNode().put("id", "u1").put("userName", "ada").put("active", active);
        user.putObject("meta").put("version", "W/\"3\"");
        return user;
    }
}
