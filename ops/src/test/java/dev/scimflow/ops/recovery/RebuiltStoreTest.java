package dev.scimflow.ops.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.store.StoredGroup;
import dev.scimflow.store.StoredUser;
import tools.jackson.databind.JsonNode;

class RebuiltStoreTest {

    private static final Instant CREATED = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant MODIFIED = Instant.parse("2026-11-28T11:00:00Z");

    @Test
    void aUserIsItsLatestSnapshotWithoutIdAndMetaAtTheSnapshotsVersionAndTimes() {
        ScimEvent patched = event("u1", EventType.PATCHED, 2, """
                {"id":"u1","userName":"a@example.com","active":false,"name":{"givenName":"Ann","familyName":"Lee","formatted":"Ann Lee"},
                 "meta":{"resourceType":"User","created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T11:00:00Z","version":"W/\\"2\\""}}""");

        StoredUser user = RebuiltStore.storedUser(patched);

        assertThat(user.id()).isEqualTo("u1");
        assertThat(user.version()).isEqualTo(2);
        assertThat(user.created()).isEqualTo(CREATED);
        assertThat(user.lastModified()).isEqualTo(MODIFIED);
        assertThat(user.document().toString()).as("no id, no meta, the derived formatted name dropped")
                .isEqualTo("{\"userName\":\"a@example.com\",\"active\":false,\"name\":{\"givenName\":\"Ann\",\"familyName\":\"Lee\"}}");
    }

    @Test
    void aFormattedNameTheIdpChoseIsKept() {
        ScimEvent created = event("u1", EventType.CREATED, 1, """
                {"id":"u1","userName":"a@example.com","name":{"givenName":"Ann","familyName":"Lee","formatted":"Dr. Ann Lee"},
                 "meta":{"created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z"}}""");

        assertThat(RebuiltStore.storedUser(created).document().get("name").get("formatted").asString()).isEqualTo("Dr. Ann Lee");
    }

    @Test
    void theLastEventOfAUserWinsAndADeletionRemovesIt() {
        RebuiltStore store = new RebuiltStore();
        String snapshot = """
                {"id":"%s","userName":"%s@example.com","meta":{"created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z"}}""";
        store.add(event("u1", EventType.CREATED, 1, snapshot.formatted("u1", "u1")));
        store.add(event("u2", EventType.CREATED, 1, snapshot.formatted("u2", "u2")));
        store.add(event("u1", EventType.REPLACED, 2, snapshot.formatted("u1", "renamed")));
        store.add(new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.USER, "u2", EventType.DELETED, 1,
                json(snapshot.formatted("u2", "u2")), null, null, "r", CREATED, MODIFIED, 1));

        assertThat(store.users()).isEqualTo(1);
        assertThat(store.changes()).as("every change id is recorded as applied").isEqualTo(4);
    }

    @Test
    void aGroupIsItsLatestSnapshotWithTheMembersItsEventsAddedAndRemovedAtItsLatestVersion() {
        RebuiltStore store = new RebuiltStore();
        String snapshot = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"%s",
                 "meta":{"resourceType":"Group","created":"2026-11-28T10:00:00Z","lastModified":"%s","version":"W/\\"%d\\""}}""";
        UUID create = UUID.randomUUID();
        store.add(group(create, EventType.CREATED, 1, json(snapshot.formatted("Eng", "2026-11-28T10:00:00Z", 1)), List.of("u1", "u2"), CREATED));
        store.add(group(create, EventType.MEMBERS_ADDED, 1, null, List.of("u3"), CREATED));
        store.add(group(UUID.randomUUID(), EventType.RENAMED, 2, json(snapshot.formatted("Engineering", "2026-11-28T10:30:00Z", 2)),
                null, CREATED));
        store.add(group(UUID.randomUUID(), EventType.MEMBERS_REMOVED, 3, null, List.of("u1"), MODIFIED));
        store.add(group(UUID.randomUUID(), EventType.CREATED, 1, json(snapshot.formatted("Gone", "2026-11-28T10:00:00Z", 1)
                .replace("\"g1\"", "\"g2\"")), List.of("u1"), CREATED));
        store.add(new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.GROUP, "g2", EventType.DELETED, 1,
                null, null, null, "r", MODIFIED, MODIFIED, 1));

        StoredGroup group = store.group("t", "g1").orElseThrow();
        assertThat(group.displayName()).isEqualTo("Engineering");
        assertThat(group.version()).isEqualTo(3);
        assertThat(group.memberCount()).isEqualTo(2);
        assertThat(group.created()).isEqualTo(CREATED);
        assertThat(group.lastModified()).as("the membership change's acceptance time").isEqualTo(MODIFIED);
        assertThat(group.document().has("id") || group.document().has("meta")).isFalse();
        assertThat(store.group("t", "g2")).as("deleted").isEmpty();
        assertThat(store.groups()).isEqualTo(1);
        assertThat(store.memberships()).isEqualTo(2);
        assertThat(store.changes()).as("the create's two events are one change").isEqualTo(5);
    }

    @Test
    void nestedGroupsAreRestoredFromMembershipEventsWhoseMembersAreGroups() {
        RebuiltStore store = new RebuiltStore();
        String snapshot = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Parent",
                 "meta":{"resourceType":"Group","created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z","version":"W/\\"1\\""}}""";
        store.add(group(UUID.randomUUID(), EventType.CREATED, 1, json(snapshot), List.of("u1"), CREATED));
        store.add(nested(EventType.MEMBERS_ADDED, 2, List.of("g2", "g3")));
        store.add(nested(EventType.MEMBERS_REMOVED, 3, List.of("g3")));

        StoredGroup parent = store.group("t", "g1").orElseThrow();
        assertThat(parent.memberCount()).as("u1 and g2").isEqualTo(2);
        assertThat(parent.version()).isEqualTo(3);
        assertThat(store.memberships()).isEqualTo(2);
    }

    @Test
    void emailValuesBecomeAnArrayLiteralThatSurvivesQuotesAndBackslashes() {
        assertThat(RebuiltStore.Copy.array(new String[] {"a@example.com", "b\"q\\@example.com"}))
                .isEqualTo("{\"a@example.com\",\"b\\\"q\\\\@example.com\"}");
        assertThat(RebuiltStore.Copy.array(new String[0])).isEqualTo("{}");
    }

    @Test
    void replayTakesAnIsoInstantOrEarliest() {
        assertThat(ReplayCommand.Changes.parseFrom("earliest")).isNull();
        assertThat(ReplayCommand.Changes.parseFrom("2026-11-28T22:00:00Z")).isEqualTo(Instant.parse("2026-11-28T22:00:00Z"));
        assertThatThrownBy(() -> ReplayCommand.Changes.parseFrom("yesterday")).isInstanceOf(OperatorError.class)
                .hasMessageContaining("ISO-8601");
    }

    private static ScimEvent event(String id, EventType type, long version, String after) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.USER, id, type, version, null, json(after),
                null, "r", CREATED, MODIFIED, 1);
    }

    private static ScimEvent group(UUID changeId, EventType type, long version, JsonNode after, List<String> members, Instant at) {
        return new ScimEvent(UUID.randomUUID(), changeId, "t", ResourceType.GROUP, type == EventType.CREATED && after != null
                ? after.get("id").asString() : "g1", type, version, null, after, null, "r", at, at, 1, members);
    }

    private static ScimEvent nested(EventType type, long version, List<String> groups) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.GROUP, "g1", type, version, null, null, null, "r",
                MODIFIED, MODIFIED, 1, groups, ResourceType.GROUP);
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }
}
