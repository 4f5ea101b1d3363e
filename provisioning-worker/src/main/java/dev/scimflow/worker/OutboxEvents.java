package dev.scimflow.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventHeaders;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.events.TraceParent;
import dev.scimflow.store.Outbox;
import dev.scimflow.store.StoredUser;
import tools.jackson.databind.JsonNode;

/**
 * The facts ({@link ScimEvent}s) a batch of changes makes, in the order they happen, turned into outbox records
 * just before the batch commits. An event id is derived from the change id, so re-applying a change (a replay after a
 * restore) yields the same event, which every consumer already de-duplicates.
 */
final class OutboxEvents {

    private final List<ScimEvent> events = new ArrayList<>();

    void record(ScimChange change, EventType type, StoredUser before, StoredUser after, JsonNode beforeResource,
                JsonNode afterResource) {
        StoredUser current = after != null ? after : before;
        events.add(new ScimEvent(UUID.nameUUIDFromBytes((change.changeId() + ":" + type).getBytes(StandardCharsets.UTF_8)),
                change.changeId(), change.tenant(), ResourceType.USER, change.resourceId(), type, current.version(),
                beforeResource, afterResource, change.actor(), change.requestId(), change.acceptedAt(), null, ScimEvent.SCHEMA_VERSION));
    }

    /** The facts one change makes about one group, all at the group's version after the change. */
    GroupEvents group(ScimChange change, String groupId, long version) {
        return new GroupEvents(change, groupId, version);
    }

    /**
     * The outbox records of every fact so far, each written {@code at} (its {@code appliedAt}), each with the
     * {@code traceparent} of its change from {@code traceparents} (by change id) among its headers, if there is one.
     */
    List<Outbox.Entry> records(Instant at, Map<UUID, String> traceparents) {
        List<Outbox.Entry> records = new ArrayList<>(events.size());
        for (ScimEvent event : events) {
            ScimEvent written = event.appliedAt(at);
            RecordHeaders headers = new RecordHeaders();
            EventHeaders.write(written, headers);
            String traceparent = traceparents.get(written.changeId());
            if (traceparent != null) {
                headers.add(TraceParent.HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
            }
            List<String> headerList = new ArrayList<>(8);
            headers.forEach(header -> {
                headerList.add(header.key());
                headerList.add(new String(header.value(), StandardCharsets.UTF_8));
            });
            records.add(new Outbox.Entry(0, Topics.EVENTS, written.key(), EventCodec.encode(written), headerList));
        }
        return records;
    }

    /**
     * Writes a change's facts about one group. They are numbered in the order written, and the event id is
     * derived from change id, group id and number: a change may make several (a rename and member additions, a
     * removal of 20,000 members in chunks, a user's deletion leaving many groups), each with an id of its own
     * that a replay of the change reproduces.
     */
    final class GroupEvents {

        private final ScimChange change;
        private final String groupId;
        private final long version;
        private int sequence;

        private GroupEvents(ScimChange change, String groupId, long version) {
            this.change = change;
            this.groupId = groupId;
            this.version = version;
        }

        /** A change of the group's own attributes (RENAMED, REPLACED, PATCHED) or its DELETED; snapshots without members. */
        void attributes(EventType type, JsonNode before, JsonNode after) {
            write(type, before, after, null);
        }

        /** CREATED with the initial members; beyond one event's worth, the rest follow as MEMBERS_ADDED. */
        void created(JsonNode after, List<String> members) {
            write(EventType.CREATED, null, after, members.subList(0, Math.min(members.size(), ScimEvent.MAX_MEMBERS)));
            if (members.size() > ScimEvent.MAX_MEMBERS) {
                members(EventType.MEMBERS_ADDED, members.subList(ScimEvent.MAX_MEMBERS, members.size()));
            }
        }

        /** MEMBERS_ADDED or MEMBERS_REMOVED for these user ids, in events of at most {@link ScimEvent#MAX_MEMBERS}. */
        void members(EventType type, List<String> userIds) {
            members(type, userIds, ResourceType.USER);
        }

        /**
         * MEMBERS_ADDED or MEMBERS_REMOVED for these members, all users or all (nested) groups as {@code memberType}
         * says, in events of at most {@link ScimEvent#MAX_MEMBERS}: the type travels with them so that a rebuild
         * restores nesting.
         */
        void members(EventType type, List<String> ids, ResourceType memberType) {
            for (int from = 0; from < ids.size(); from += ScimEvent.MAX_MEMBERS) {
                write(type, null, null, ids.subList(from, Math.min(ids.size(), from + ScimEvent.MAX_MEMBERS)), memberType);
            }
        }

        private void write(EventType type, JsonNode before, JsonNode after, List<String> members) {
            write(type, before, after, members, members == null ? null : ResourceType.USER);
        }

        private void write(EventType type, JsonNode before, JsonNode after, List<String> members, ResourceType memberType) {
            UUID eventId = UUID.nameUUIDFromBytes((change.changeId() + ":" + groupId + ":" + sequence++).getBytes(StandardCharsets.UTF_8));
            events.add(new ScimEvent(eventId, change.changeId(), change.tenant(), ResourceType.GROUP, groupId, type, version,
                    before, after, change.actor(), change.requestId(), change.acceptedAt(), null, ScimEvent.SCHEMA_VERSION,
                    members, memberType));
        }
    }
}
