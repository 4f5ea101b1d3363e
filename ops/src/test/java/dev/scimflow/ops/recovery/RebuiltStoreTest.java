package dev.scimflow.ops.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.store.BulkLoad;
import dev.scimflow.store.StoredGroup;
import dev.scimflow.store.StoredUser;
import tools.jackson.databind.JsonNode;

class RebuiltStoreTest {

    private static final Instant CREATED = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant MODIFIED = Instant.parse("2026-11-28T11:00:00Z");

    @Test
    void aUserIsItsLatestSnapshotWithoutIdAndMetaAtTheSnapshotsVersionAndTimes() {
        ScimEvent patched = event("u1", EventType.PATCHED, 2,
                """
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

    /**
     * A user event's snapshot is written once for both of its rows (the user's document is a stretch of its outcome's
     * JSON): each row holds what it holds when written on its own, from the event as the worker published it.
     */
    @Test
    void aUsersTwoRowsWrittenInOnePassHoldWhatEachHoldsWrittenOnItsOwn() {
        List<String> snapshots = List.of(
                """
                        {"id":"u1","userName":"a@example.com","meta":{"created":"2026-11-28T10:00:00.123456Z","lastModified":"2026-11-28T11:00:00Z"}}""",
                """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","externalId":"x\\"1","userName":"Ünï \\\\ 😀",
                         "active":false,"name":{"givenName":"Ann","familyName":"Lee","formatted":"Dr. Ann Lee"},"score":1.50,"n":null,
                         "emails":[{"value":"A@Example.com","primary":true},{"value":"b@example.com"}],
                         "meta":{"resourceType":"User","created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T11:00:00Z","version":"W/\\"3\\""}}""",
                """
                        {"meta":{"created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T11:00:00Z"},"userName":"first","id":"u1"}""",
                """
                        {"id":"u1","meta":{"created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T11:00:00Z"}}""",
                """
                        {"id":"u1","userName":"d","name":{"givenName":"Ann","familyName":"Lee","formatted":"Ann Lee"},
                         "meta":{"created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T11:00:00Z"}}""");
        for (String snapshot : snapshots) {
            for (EventType type : List.of(EventType.CREATED, EventType.PATCHED)) {
                byte[] wire = EventCodec.encode(event("u1", type, 3, snapshot));

                RebuiltStore.PreparedEvent prepared = RebuiltStore.prepare(wire);
                ScimEvent alone = EventCodec.event(wire);
                ChangeOutcome outcome = new ChangeOutcome(alone.changeId(), "t", "u1", type == EventType.CREATED ? 201 : 200, 3,
                        alone.after().deepCopy(), null, null, null, ResourceType.USER, false);
                List<byte[]> user = fields(prepared.user().tuple());
                List<byte[]> userAlone = fields(BulkLoad.user(RebuiltStore.storedUser(alone)).tuple());
                List<byte[]> change = fields(prepared.appliedChange().tuple());
                List<byte[]> changeAlone = fields(BulkLoad.appliedChange(alone.changeId(), "t", "u1",
                        EventCodec.mapper().writeValueAsBytes(outcome), alone.appliedAt()).tuple());

                assertThat(jsonb(user.get(6))).as(snapshot).isEqualTo(jsonb(userAlone.get(6)));
                user.set(6, null);
                userAlone.set(6, null);
                assertThat(user).as("the user's other columns").usingElementComparator(java.util.Arrays::compare)
                        .isEqualTo(userAlone);
                assertThat(jsonb(change.get(3))).as("the outcome of " + snapshot).isEqualTo(jsonb(changeAlone.get(3)));
                change.set(3, null);
                changeAlone.set(3, null);
                assertThat(change).usingElementComparator(java.util.Arrays::compare).isEqualTo(changeAlone);
            }
        }
    }

    /** The fields of a row in binary COPY format (a null field as an empty array). */
    private static List<byte[]> fields(byte[] tuple) {
        java.nio.ByteBuffer row = java.nio.ByteBuffer.wrap(tuple);
        List<byte[]> fields = new ArrayList<>();
        for (int i = row.getShort(); i > 0; i--) {
            int length = row.getInt();
            byte[] field = new byte[Math.max(0, length)];
            row.get(field);
            fields.add(field);
        }
        assertThat(row.hasRemaining()).isFalse();
        return fields;
    }

    /** A jsonb field in binary form: its version, then the JSON text. */
    private static JsonNode jsonb(byte[] field) {
        assertThat(field[0]).isEqualTo((byte) 1);
        return EventCodec.mapper().readTree(new String(field, 1, field.length - 1, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theLastEventOfAUserWinsAndADeletionRemovesIt() {
        List<BulkLoad.Row> applied = new ArrayList<>();
        RebuiltStore store = new RebuiltStore(applied::add);
        String snapshot = """
                {"id":"%s","userName":"%s@example.com","meta":{"created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z"}}""";
        add(store, event("u1", EventType.CREATED, 1, snapshot.formatted("u1", "u1")));
        add(store, event("u2", EventType.CREATED, 1, snapshot.formatted("u2", "u2")));
        add(store, event("u1", EventType.REPLACED, 2, snapshot.formatted("u1", "renamed")));
        add(store, new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.USER, "u2", EventType.DELETED, 1,
                json(snapshot.formatted("u2", "u2")), null, null, "r", CREATED, MODIFIED, 1));

        assertThat(store.users()).isEqualTo(1);
        assertThat(store.changes()).as("every change id is recorded as applied").isEqualTo(4);
        assertThat(applied).as("each handed on as soon as its event is folded").hasSize(4)
                .allSatisfy(row -> assertThat(row.table()).isEqualTo(BulkLoad.APPLIED_CHANGES));
        store.partitionRead();
        assertThat(applied).as("the users, once their partition has been read").hasSize(5)
                .last().satisfies(row -> assertThat(row.table()).isEqualTo(BulkLoad.USERS));
        assertThat(store.users()).isEqualTo(1);
    }

    @Test
    void aGroupIsItsLatestSnapshotWithTheMembersItsEventsAddedAndRemovedAtItsLatestVersion() {
        List<BulkLoad.Row> applied = new ArrayList<>();
        RebuiltStore store = new RebuiltStore(applied::add);
        String snapshot = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"%s",
                 "meta":{"resourceType":"Group","created":"2026-11-28T10:00:00Z","lastModified":"%s","version":"W/\\"%d\\""}}""";
        UUID create = UUID.randomUUID();
        UUID removal = UUID.randomUUID();
        add(store, new ScimEvent(UUID.randomUUID(), removal, "t", ResourceType.GROUP, "g0", EventType.MEMBERS_REMOVED, 4, null, null,
                null, "r", CREATED, CREATED, 1, List.of("u9")));
        add(store, group(create, EventType.CREATED, 1, json(snapshot.formatted("Eng", "2026-11-28T10:00:00Z", 1)), List.of("u1", "u2"),
                CREATED));
        add(store, group(create, EventType.MEMBERS_ADDED, 1, null, List.of("u3"), CREATED));
        add(store, group(UUID.randomUUID(), EventType.RENAMED, 2, json(snapshot.formatted("Engineering", "2026-11-28T10:30:00Z", 2)),
                null, CREATED));
        add(store, group(UUID.randomUUID(), EventType.MEMBERS_REMOVED, 3, null, List.of("u1"), MODIFIED));
        add(store, group(UUID.randomUUID(), EventType.CREATED, 1, json(snapshot.formatted("Gone", "2026-11-28T10:00:00Z", 1)
                .replace("\"g1\"", "\"g2\"")), List.of("u1"), CREATED));
        add(store, new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.GROUP, "g2", EventType.DELETED, 1,
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
        assertThat(store.changes()).as("the create's two events are one change; the removal of a member of a group before"
                + " the events began is a change too").isEqualTo(6);
        assertThat(applied).as("handed on at once: the changes of groups' own events, not the membership-only ones").hasSize(4);
        store.finish();
        assertThat(applied.stream().map(row -> row.table().name()).toList()).as("then the group, its members, the other changes")
                .containsExactly("applied_changes", "applied_changes", "applied_changes", "applied_changes", "groups", "group_members",
                        "group_members", "applied_changes", "applied_changes");
    }

    @Test
    void nestedGroupsAreRestoredFromMembershipEventsWhoseMembersAreGroups() {
        List<BulkLoad.Row> rows = new ArrayList<>();
        RebuiltStore store = new RebuiltStore(rows::add);
        String snapshot = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Parent",
                 "meta":{"resourceType":"Group","created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z","version":"W/\\"1\\""}}""";
        add(store, group(UUID.randomUUID(), EventType.CREATED, 1, json(snapshot), List.of("u1"), CREATED));
        add(store, nested(EventType.MEMBERS_ADDED, 2, List.of("g2", "g3")));
        add(store, nested(EventType.MEMBERS_REMOVED, 3, List.of("g3")));

        StoredGroup parent = store.group("t", "g1").orElseThrow();
        assertThat(parent.memberCount()).as("u1 and g2").isEqualTo(2);
        assertThat(parent.version()).isEqualTo(3);
        assertThat(store.memberships()).isEqualTo(2);
        rows.clear();
        store.finish();
        assertThat(rows.stream().map(row -> row.table().name()).toList()).as("u1 a user member, g2 a nested group")
                .containsExactly("groups", "group_members", "group_member_groups", "applied_changes", "applied_changes");
    }

    @Test
    void replayTakesAnIsoInstantOrEarliest() {
        assertThat(ReplayCommand.Changes.parseFrom("earliest")).isNull();
        assertThat(ReplayCommand.Changes.parseFrom("2026-11-28T22:00:00Z")).isEqualTo(Instant.parse("2026-11-28T22:00:00Z"));
        assertThatThrownBy(() -> ReplayCommand.Changes.parseFrom("yesterday")).isInstanceOf(OperatorError.class)
                .hasMessageContaining("ISO-8601");
    }

    /** As the rebuild does it: the event as it is on the wire, prepared, then folded. */
    private static void add(RebuiltStore store, ScimEvent event) {
        store.add(RebuiltStore.prepare(EventCodec.encode(event)));
    }

    private static ScimEvent event(String id, EventType type, long version, String after) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.USER, id, type, version, null, json(after),
                null, "r", CREATED, MODIFIED, 1);
    }

    private static ScimEvent group(UUID changeId, EventType type, long version, JsonNode after, List<String> members, Instant at) {
        return new ScimEvent(UUID.randomUUID(), changeId, "t", ResourceType.GROUP, type == EventType.CREATED && after != null
                ? after.get("id").asString()
                : "g1", type, version, null, after, null, "r", at, at, 1, members);
    }

    private static ScimEvent nested(EventType type, long version, List<String> groups) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.GROUP, "g1", type, version, null, null, null, "r",
                MODIFIED, MODIFIED, 1, groups, ResourceType.GROUP);
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }
}
