package dev.scimflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class EventCodecTest {

    private static final JsonNode ACTIVE = EventCodec.mapper().readTree("{\"userName\":\"a\",\"active\":true}");
    private static final JsonNode INACTIVE = EventCodec.mapper().readTree("{\"userName\":\"a\",\"active\":false}");

    @Test
    void anEventSurvivesTheWireWithAbsentSnapshotsStillAbsent() {
        ScimEvent deleted = event(EventType.DELETED, INACTIVE, null);

        ScimEvent decoded = EventCodec.event(EventCodec.encode(deleted));

        assertThat(decoded).isEqualTo(deleted);
        assertThat(decoded.after()).isNull();
        assertThat(decoded.reactivates()).isFalse();
        assertThat(decoded.deactivates()).isFalse();
    }

    @Test
    void deactivationIsActiveToInactiveOrDeletionOfAnActiveUser() {
        assertThat(event(EventType.PATCHED, ACTIVE, INACTIVE).deactivates()).isTrue();
        assertThat(event(EventType.REPLACED, ACTIVE, INACTIVE).deactivates()).isTrue();
        assertThat(event(EventType.DELETED, ACTIVE, null).deactivates()).isTrue();
        assertThat(event(EventType.PATCHED, INACTIVE, INACTIVE).deactivates()).isFalse();
        assertThat(event(EventType.CREATED, null, INACTIVE).deactivates()).isFalse();
    }

    @Test
    void reactivationIsInactiveToActive() {
        assertThat(event(EventType.PATCHED, INACTIVE, ACTIVE).reactivates()).isTrue();
        assertThat(event(EventType.PATCHED, ACTIVE, ACTIVE).reactivates()).isFalse();
    }

    @Test
    void aChangeAndAnOutcomeSurviveTheWire() {
        ScimChange change = new ScimChange(UUID.randomUUID(), "acme", ResourceType.USER, "u1", ChangeOperation.DELETE, null,
                "W/\"2\"", new Actor("tok_1", "Okta SCIM Client"), "req", Instant.parse("2026-01-01T00:00:00Z"), 1);
        ChangeOutcome outcome = ChangeOutcome.success(change, 204, 2, null);

        assertThat(EventCodec.change(EventCodec.encode(change))).isEqualTo(change);
        assertThat(EventCodec.outcome(EventCodec.encode(outcome))).isEqualTo(outcome);
        assertThat(change.key()).isEqualTo("acme:u1");
    }

    @Test
    void aGroupMembershipEventCarriesTheChangedMemberIdsAndUserEventsCarryNone() {
        ScimEvent added = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.GROUP, "g1",
                EventType.MEMBERS_ADDED, 4, null, null, new Actor("tok_1", "Okta"), "req", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:01Z"), 1, java.util.List.of("u1", "u2"));

        ScimEvent decoded = EventCodec.event(EventCodec.encode(added));

        assertThat(decoded).isEqualTo(added);
        assertThat(decoded.members()).containsExactly("u1", "u2");
        assertThat(decoded.deactivates()).isFalse();
        assertThat(EventCodec.event(EventCodec.encode(event(EventType.DELETED, ACTIVE, null))).members()).isNull();
    }

    @Test
    void aMembershipEventSaysWhetherItsMembersAreUsersOrGroupsAndOldEventsMeanUsers() {
        ScimEvent nested = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.GROUP, "g1",
                EventType.MEMBERS_ADDED, 5, null, null, new Actor("tok_1", "sync"), "req", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:01Z"), 1, java.util.List.of("g2"), ResourceType.GROUP);

        ScimEvent decoded = EventCodec.event(EventCodec.encode(nested));
        ScimEvent older = EventCodec.event("""
                {"eventId":"%s","tenant":"acme","resourceType":"GROUP","resourceId":"g1","type":"MEMBERS_ADDED","version":2,
                 "members":["u1"],"schemaVersion":1}""".formatted(UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(decoded).isEqualTo(nested);
        assertThat(decoded.memberTypeOrUser()).isEqualTo(ResourceType.GROUP);
        assertThat(older.memberType()).isNull();
        assertThat(older.memberTypeOrUser()).isEqualTo(ResourceType.USER);
    }

    @Test
    void anEventStampedWithTheTimeTheWorkerWroteItKeepsWhatItsMembersAre() {
        ScimEvent nested = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.GROUP, "g1",
                EventType.MEMBERS_REMOVED, 5, null, null, new Actor("tok_1", "sync"), "req", Instant.parse("2026-01-01T00:00:00Z"),
                null, 1, java.util.List.of("g2"), ResourceType.GROUP);
        Instant written = Instant.parse("2026-01-01T00:00:02Z");

        ScimEvent stamped = nested.appliedAt(written);

        assertThat(stamped.appliedAt()).isEqualTo(written);
        assertThat(stamped.memberType()).isEqualTo(ResourceType.GROUP);
        assertThat(stamped).usingRecursiveComparison().ignoringFields("appliedAt").isEqualTo(nested);
    }

    private static ScimEvent event(EventType type, JsonNode before, JsonNode after) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.USER, "u1", type, 2, before, after,
                new Actor("tok_1", "Okta"), "req", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"), 1);
    }
}
