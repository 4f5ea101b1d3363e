package dev.scimflow.ops.recovery;

import java.io.OutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.store.BulkLoad;
import dev.scimflow.store.StoredGroup;
import dev.scimflow.store.StoredUser;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.node.ObjectNode;

/**
 * The user store as {@code scim.events} describes it, folded event by event (events of one resource arrive in order,
 * on one partition), as the rows {@link BulkLoad} writes. Each user is its latest {@code after} snapshot with the same
 * id, version, created and lastModified; a DELETED removes it. Every event's change id is recorded in
 * {@code applied_changes} with a success outcome, so that a later replay or redelivery of those changes is skipped
 * instead of being applied a second time on top of their own effects. Groups are their latest snapshot with the
 * members their events added and removed: users, and nested groups (events whose memberType is GROUP).
 *
 * <p>Events are {@link #prepare prepared} (decoded, and turned into the rows they may leave) on any thread, then
 * {@link #add added} in their order on one. Rows leave as soon as they are final, so that PostgreSQL writes them while
 * the topic is still being read: an applied change when its change's own event (not a membership event) is seen; the
 * users of a partition when the partition has been read to its end ({@link #partitionRead()}), since every event of a
 * user is on its partition. Until then a user is kept as its encoded row, the latest replacing the one before. Groups,
 * memberships and changes seen only in membership events are written at the {@link #finish() end}.
 */
final class RebuiltStore {

    static final ObjectReader EVENTS = IsoInstants.EVENTS.readerFor(ScimEvent.class);
    /** As the worker records outcomes. */
    static final ObjectWriter OUTCOMES = EventCodec.mapper().writerFor(ChangeOutcome.class);

    /** The users of the partition being read. */
    private final Map<String, BulkLoad.Row> users = new LinkedHashMap<>();
    private long usersWritten;
    private final Map<String, RebuiltGroup> groups = new LinkedHashMap<>();
    /** Changes recorded with their own event, whose rows went to {@link #rows}. */
    private final Set<UUID> recorded = new HashSet<>();
    /** Changes seen only in membership events so far: recorded with the first, unless their own event comes. */
    private final Map<UUID, BulkLoad.Row> membershipOnly = new LinkedHashMap<>();
    private final Set<String> tenants = new LinkedHashSet<>();
    private final Consumer<BulkLoad.Row> rows;

    /** @param rows where the rows go as soon as they are final */
    RebuiltStore(Consumer<BulkLoad.Row> rows) {
        this.rows = rows;
    }

    /**
     * An event of {@code scim.events} with the rows it may leave: a user's row (for a user event with a snapshot) and the
     * applied-change row of its change.
     */
    record PreparedEvent(ScimEvent event, BulkLoad.Row user, BulkLoad.Row appliedChange) {
    }

    /**
     * Decodes an event and encodes its rows; safe on any thread. A user event's snapshot is taken apart into the user's
     * document on the way (its outcome, which carries the whole snapshot, is encoded first): only group events keep theirs.
     */
    static PreparedEvent prepare(byte[] json) {
        ScimEvent event = EVENTS.readValue(json);
        Instant appliedAt = event.appliedAt() != null ? event.appliedAt() : Instant.now();
        if (event.resourceType() == ResourceType.USER && event.type() != EventType.DELETED && event.after() instanceof ObjectNode snapshot
                && snapshot.get("id") != null && snapshot.get("meta") instanceof ObjectNode && !hasDerivedFormattedName(snapshot)) {
            return prepareUser(event, snapshot, appliedAt);
        }
        BulkLoad.Row appliedChange = BulkLoad.appliedChange(event.changeId(), event.tenant(), event.resourceId(), OUTCOMES,
                outcome(event), appliedAt);
        BulkLoad.Row user = event.resourceType() == ResourceType.USER && event.type() != EventType.DELETED && event.after() != null
                ? BulkLoad.user(storedUser(event))
                : null;
        return new PreparedEvent(event, user, appliedChange);
    }

    /**
     * A user's snapshot written as JSON once for both of its rows. The outcome is written with the snapshot's id and meta
     * first, so that the snapshot's other attributes, which are the user's document, follow as one stretch of it: the
     * document is that stretch, with the comma before it made its opening brace. Key order means nothing to jsonb, so
     * both are stored exactly as if each had been written on its own (as {@link #outcome} and {@link BulkLoad#user}
     * write them). A snapshot whose formatted name would be dropped from the document is not written this way.
     */
    private static PreparedEvent prepareUser(ScimEvent event, ObjectNode snapshot, Instant appliedAt) {
        Json out = SCRATCH.get();
        out.reset();
        JsonNode id = snapshot.remove("id");
        JsonNode meta = snapshot.remove("meta");
        int documentFrom = 0;
        int documentTo = 0;
        // every property of the outcome as the mapper writes it (whatever ChangeOutcome carries), the resource written here
        ObjectNode outcome = EventCodec.mapper().valueToTree(outcome(event, null));
        try (JsonGenerator json = EventCodec.mapper().createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, JsonNode> property : outcome.properties()) {
                json.writeName(property.getKey());
                if (!property.getKey().equals("resource")) {
                    json.writeTree(property.getValue());
                    continue;
                }
                json.writeStartObject();
                json.writeName("id");
                json.writeTree(id);
                json.writeName("meta");
                json.writeTree(meta);
                json.flush();
                documentFrom = out.size;
                for (Map.Entry<String, JsonNode> attribute : snapshot.properties()) {
                    json.writeName(attribute.getKey());
                    json.writeTree(attribute.getValue());
                }
                json.writeEndObject();
                json.flush();
                documentTo = out.size;
            }
            json.writeEndObject();
        }
        if (documentTo == 0) {
            throw new IllegalStateException("an outcome without a resource property");
        }
        BulkLoad.Row appliedChange = BulkLoad.appliedChange(event.changeId(), event.tenant(), event.resourceId(), out.bytes, 0,
                out.size, appliedAt);
        StoredUser user = new StoredUser(event.tenant(), event.resourceId(), snapshot, event.version(),
                IsoInstants.parse(meta.get("created").asString()), IsoInstants.parse(meta.get("lastModified").asString()));
        if (out.bytes[documentFrom] == ',') {
            out.bytes[documentFrom] = '{';
            return new PreparedEvent(event, BulkLoad.user(user, out.bytes, documentFrom, documentTo - documentFrom), appliedChange);
        }
        return new PreparedEvent(event, BulkLoad.user(user, EMPTY_DOCUMENT, 0, EMPTY_DOCUMENT.length), appliedChange);
    }

    private static final byte[] EMPTY_DOCUMENT = {'{', '}'};
    private static final ThreadLocal<Json> SCRATCH = ThreadLocal.withInitial(Json::new);

    /** JSON being written, in a buffer of the thread's own that is read in place. */
    private static final class Json extends OutputStream {
        private byte[] bytes = new byte[4096];
        private int size;

        void reset() {
            size = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    /** Folds the next event; events come in their order within each partition. */
    void add(PreparedEvent prepared) {
        ScimEvent event = prepared.event();
        tenants.add(event.tenant());
        if (!isMembership(event)) {
            if (recorded.add(event.changeId())) {
                membershipOnly.remove(event.changeId());
                rows.accept(prepared.appliedChange());
            }
        } else if (!recorded.contains(event.changeId())) {
            membershipOnly.putIfAbsent(event.changeId(), prepared.appliedChange());
        }
        String key = event.tenant() + '\u0000' + event.resourceId();
        if (event.resourceType() == ResourceType.GROUP) {
            addGroupEvent(key, event);
        } else if (event.type() == EventType.DELETED) {
            users.remove(key);
        } else if (prepared.user() != null) {
            users.put(key, prepared.user());
        }
    }

    /**
     * A group is its latest snapshot (own attributes, no members) plus the member ids its CREATED and MEMBERS_ADDED
     * events added and its MEMBERS_REMOVED events took away, at the version of its latest event. A membership change
     * carries no snapshot: it moves lastModified to when it was accepted, as the worker does.
     */
    private void addGroupEvent(String key, ScimEvent event) {
        if (event.type() == EventType.DELETED) {
            groups.remove(key);
            return;
        }
        RebuiltGroup group = groups.get(key);
        if (group == null) {
            if (event.after() == null) {
                return; // membership events of a group created before the events begin: nothing to attach them to
            }
            group = new RebuiltGroup();
            groups.put(key, group);
        }
        group.version = event.version();
        if (event.after() != null) {
            group.snapshot = event;
            group.lastModified = IsoInstants.parse(event.after().get("meta").get("lastModified").asString());
        } else if (event.changedAt() != null && event.changedAt().isAfter(group.lastModified)) {
            group.lastModified = event.changedAt();
        }
        if (event.members() != null) {
            Set<String> members = event.memberTypeOrUser() == ResourceType.GROUP ? group.memberGroups : group.members;
            if (event.type() == EventType.MEMBERS_REMOVED) {
                event.members().forEach(members::remove);
            } else {
                members.addAll(event.members());
            }
        }
    }

    static boolean isMembership(ScimEvent event) {
        return event.type() == EventType.MEMBERS_ADDED || event.type() == EventType.MEMBERS_REMOVED;
    }

    /** A group being folded: its latest snapshot event, its members, version and lastModified so far. */
    private static final class RebuiltGroup {
        private ScimEvent snapshot;
        private final Set<String> members = new LinkedHashSet<>();
        private final Set<String> memberGroups = new LinkedHashSet<>();
        private long version;
        private Instant lastModified;
    }

    /** Every event of the partition read last has been added: its users are final. */
    void partitionRead() {
        users.values().forEach(rows);
        usersWritten += users.size();
        users.clear();
    }

    long users() {
        return usersWritten + users.size();
    }

    int groups() {
        return groups.size();
    }

    long memberships() {
        return groups.values().stream().mapToLong(group -> group.members.size() + group.memberGroups.size()).sum();
    }

    int changes() {
        return recorded.size() + membershipOnly.size();
    }

    /** The group as it will be written, if the events leave one. */
    Optional<StoredGroup> group(String tenant, String id) {
        return Optional.ofNullable(groups.get(tenant + '\u0000' + id)).map(RebuiltStore::storedGroup);
    }

    /**
     * Every event has been added: what is left goes to the rows, the users of the last partition, the groups, their
     * members and the changes seen only in membership events.
     */
    void finish() {
        partitionRead();
        groups.values().forEach(group -> rows.accept(BulkLoad.group(storedGroup(group))));
        for (RebuiltGroup group : groups.values()) {
            for (String member : group.members) {
                rows.accept(BulkLoad.member(group.snapshot.tenant(), group.snapshot.resourceId(), member));
            }
        }
        for (RebuiltGroup group : groups.values()) {
            for (String member : group.memberGroups) {
                rows.accept(BulkLoad.memberGroup(group.snapshot.tenant(), group.snapshot.resourceId(), member));
            }
        }
        membershipOnly.values().forEach(rows);
    }

    /** The tenants the events name. */
    Set<String> tenants() {
        return tenants;
    }

    private static StoredGroup storedGroup(RebuiltGroup group) {
        ObjectNode document = ((ObjectNode) group.snapshot.after()).deepCopy();
        JsonNode meta = document.remove("meta");
        document.remove("id");
        document.remove("members");
        return new StoredGroup(group.snapshot.tenant(), group.snapshot.resourceId(), document,
                group.members.size() + group.memberGroups.size(), group.version, IsoInstants.parse(meta.get("created").asString()),
                group.lastModified);
    }

    /**
     * The user a snapshot shows: its document is the snapshot without id and meta. The event's snapshot becomes the
     * document (it is not copied): the event is not to be used for anything else afterwards.
     */
    static StoredUser storedUser(ScimEvent event) {
        ObjectNode document = (ObjectNode) event.after();
        JsonNode meta = document.remove("meta");
        document.remove("id");
        withoutDerivedFormattedName(document);
        return new StoredUser(event.tenant(), event.resourceId(), document, event.version(),
                IsoInstants.parse(meta.get("created").asString()), IsoInstants.parse(meta.get("lastModified").asString()));
    }

    /**
     * Rendering adds {@code name.formatted} from the name parts when the stored document has none; a snapshot cannot
     * tell the two apart, so a formatted name equal to the derived one is taken as derived. Either way the user is
     * served identically; only the stored document of a user whose IdP sent exactly the derived value differs.
     */
    private static void withoutDerivedFormattedName(ObjectNode document) {
        if (hasDerivedFormattedName(document)) {
            ((ObjectNode) document.get("name")).remove("formatted");
        }
    }

    private static boolean hasDerivedFormattedName(ObjectNode document) {
        if (document.get("name") instanceof ObjectNode name && name.get("formatted") != null && name.get("formatted").isString()) {
            String derived = Stream.of("givenName", "middleName", "familyName")
                    .map(name::get).filter(part -> part != null && !part.isNull()).map(JsonNode::asString)
                    .collect(Collectors.joining(" "));
            return name.get("formatted").stringValue().equals(derived);
        }
        return false;
    }

    /**
     * What the worker answered: the resource after the change (none for a deletion), at its version. A change that
     * made several events is recorded with its main one (the user's or group's own, not a membership event).
     */
    static ChangeOutcome outcome(ScimEvent event) {
        return outcome(event, event.type() == EventType.DELETED ? null : event.after());
    }

    /** The operation is not in the events; the resource type is. A change of the past is answered, not asynchronous. */
    private static ChangeOutcome outcome(ScimEvent event, JsonNode resource) {
        return new ChangeOutcome(event.changeId(), event.tenant(), event.resourceId(), status(event), event.version(), resource,
                null, null, null, event.resourceType(), false);
    }

    private static int status(ScimEvent event) {
        return switch (event.type()) {
            case CREATED -> 201;
            case DELETED -> 204;
            default -> 200;
        };
    }
}
