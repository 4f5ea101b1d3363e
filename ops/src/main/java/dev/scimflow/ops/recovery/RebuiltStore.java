package dev.scimflow.ops.recovery;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.store.StoredGroup;
import dev.scimflow.store.StoredUser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The user store as {@code scim.events} describes it, folded event by event (events of one resource arrive in order,
 * on one partition), then written in one transaction with COPY. Each user is its latest {@code after}
 * snapshot with the same id, version, created and lastModified; a DELETED removes it. Every event's change id is
 * recorded in {@code applied_changes} with a success outcome, so that a later replay or redelivery of those changes
 * is skipped instead of being applied a second time on top of their own effects. Groups are their latest snapshot
 * with the members their events added and removed: users, and nested groups (events whose memberType is GROUP).
 */
final class RebuiltStore {

    private final Map<String, StoredUser> users = new LinkedHashMap<>();
    private final Map<String, RebuiltGroup> groups = new LinkedHashMap<>();
    private final Map<UUID, AppliedChange> changes = new LinkedHashMap<>();
    private final Set<String> tenants = new LinkedHashSet<>();

    void add(ScimEvent event) {
        tenants.add(event.tenant());
        AppliedChange recorded = changes.get(event.changeId());
        if (recorded == null || recorded.membership() && !isMembership(event)) {
            changes.put(event.changeId(), AppliedChange.of(event));
        }
        String key = event.tenant() + '\u0000' + event.resourceId();
        if (event.resourceType() == ResourceType.GROUP) {
            addGroupEvent(key, event);
        } else if (event.type() == EventType.DELETED) {
            users.remove(key);
        } else if (event.after() != null) {
            users.put(key, storedUser(event));
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
            group.lastModified = Instant.parse(event.after().get("meta").get("lastModified").asString());
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

    private static boolean isMembership(ScimEvent event) {
        return event.type() == EventType.MEMBERS_ADDED || event.type() == EventType.MEMBERS_REMOVED;
    }

    /**
     * The applied-change row of one change, its outcome already serialized: every event's snapshots can then be let go
     * as soon as the event is folded, so memory grows with the number of changes by a row each, not by their events.
     */
    private record AppliedChange(String tenant, String resourceId, String outcome, Instant appliedAt, boolean membership) {

        static AppliedChange of(ScimEvent event) {
            return new AppliedChange(event.tenant(), event.resourceId(), EventCodec.mapper().writeValueAsString(RebuiltStore.outcome(event)),
                    event.appliedAt() != null ? event.appliedAt() : Instant.now(), isMembership(event));
        }
    }

    /** A group being folded: its latest snapshot event, its members, version and lastModified so far. */
    private static final class RebuiltGroup {
        private ScimEvent snapshot;
        private final Set<String> members = new LinkedHashSet<>();
        private final Set<String> memberGroups = new LinkedHashSet<>();
        private long version;
        private Instant lastModified;
    }

    int users() {
        return users.size();
    }

    int groups() {
        return groups.size();
    }

    long memberships() {
        return groups.values().stream().mapToLong(group -> group.members.size() + group.memberGroups.size()).sum();
    }

    int changes() {
        return changes.size();
    }

    /** The group as it will be written, if the events leave one. */
    java.util.Optional<StoredGroup> group(String tenant, String id) {
        return java.util.Optional.ofNullable(groups.get(tenant + '\u0000' + id)).map(RebuiltStore::storedGroup);
    }

    void write(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                writeTenants(connection);
                List<String> indexes = dropSecondaryIndexes(connection);
                writeUsers(connection);
                writeGroups(connection);
                writeAppliedChanges(connection);
                createIndexes(connection, indexes);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Loading rows into tables without their secondary indexes and building each index once afterwards is several
     * times faster than maintaining them row by row. Primary keys stay (the foreign keys need them); the indexes are
     * those the migrations made, read from the catalog, dropped and re-created in this transaction: a failure
     * (a unique index that does not hold, say) rolls everything back.
     */
    private static List<String> dropSecondaryIndexes(Connection connection) throws SQLException {
        List<String> definitions = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet indexes = statement.executeQuery("""
                    select i.indexname, i.indexdef from pg_indexes i
                    where i.schemaname = 'scim' and i.tablename in ('users', 'groups', 'group_members')
                      and not exists (select 1 from pg_constraint c
                                      where c.conname = i.indexname and c.connamespace = 'scim'::regnamespace)""")) {
                List<String> names = new ArrayList<>();
                while (indexes.next()) {
                    names.add(indexes.getString(1));
                    definitions.add(indexes.getString(2));
                }
                for (String name : names) {
                    statement.execute("drop index scim.\"" + name + "\"");
                }
            }
            statement.execute("set local maintenance_work_mem = '256MB'");
        }
        return definitions;
    }

    private static void createIndexes(Connection connection, List<String> definitions) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String definition : definitions) {
                statement.execute(definition);
            }
        }
    }

    /** Users whose snapshot is in the events; an empty store has none, and a rebuilt one needs them first. */
    private void writeTenants(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into scim.tenants (id) values (?) on conflict do nothing")) {
            for (String tenant : tenants) {
                insert.setString(1, tenant);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void writeUsers(Connection connection) throws SQLException {
        Copy copy = new Copy(connection, "scim.users (tenant_id, id, user_name, external_id, active, email_values, document,"
                + " version, created_at, last_modified)");
        for (StoredUser user : users.values()) {
            copy.row(user.tenant(), user.id(), user.userName(), user.externalId(), Boolean.toString(user.active()),
                    Copy.array(user.emailValues()), EventCodec.mapper().writeValueAsString(user.document()),
                    Long.toString(user.version()), user.created().toString(), user.lastModified().toString());
        }
        copy.finish();
    }

    /** Groups after users, members after groups: the foreign keys hold at every row. */
    private void writeGroups(Connection connection) throws SQLException {
        Copy rows = new Copy(connection, "scim.groups (tenant_id, id, display_name, external_id, document, member_count,"
                + " version, created_at, last_modified)");
        for (RebuiltGroup group : groups.values()) {
            StoredGroup stored = storedGroup(group);
            rows.row(stored.tenant(), stored.id(), stored.displayName(), stored.externalId(),
                    EventCodec.mapper().writeValueAsString(stored.document()), Long.toString(stored.memberCount()),
                    Long.toString(stored.version()), stored.created().toString(), stored.lastModified().toString());
        }
        rows.finish();
        Copy members = new Copy(connection, "scim.group_members (tenant_id, group_id, user_id)");
        for (RebuiltGroup group : groups.values()) {
            for (String member : group.members) {
                members.row(group.snapshot.tenant(), group.snapshot.resourceId(), member);
            }
        }
        members.finish();
        Copy nested = new Copy(connection, "scim.group_member_groups (tenant_id, group_id, member_group_id)");
        for (RebuiltGroup group : groups.values()) {
            for (String member : group.memberGroups) {
                nested.row(group.snapshot.tenant(), group.snapshot.resourceId(), member);
            }
        }
        nested.finish();
    }

    private static StoredGroup storedGroup(RebuiltGroup group) {
        ObjectNode document = ((ObjectNode) group.snapshot.after()).deepCopy();
        JsonNode meta = document.remove("meta");
        document.remove("id");
        document.remove("members");
        return new StoredGroup(group.snapshot.tenant(), group.snapshot.resourceId(), document, group.members.size() + group.memberGroups.size(), group.version,
                Instant.parse(meta.get("created").asString()), group.lastModified);
    }

    private void writeAppliedChanges(Connection connection) throws SQLException {
        Copy copy = new Copy(connection, "scim.applied_changes (change_id, tenant_id, resource_id, outcome, applied_at)");
        for (Map.Entry<UUID, AppliedChange> change : changes.entrySet()) {
            AppliedChange applied = change.getValue();
            copy.row(change.getKey().toString(), applied.tenant(), applied.resourceId(), applied.outcome(), applied.appliedAt().toString());
        }
        copy.finish();
    }

    /**
     * PostgreSQL's COPY in CSV, in chunks: the fastest way to load rows, several times faster than batched inserts
     * (indexes are still maintained as rows arrive).
     */
    static final class Copy {

        private static final int CHUNK = 10_000;

        private final CopyManager copy;
        private final String sql;
        private final StringBuilder rows = new StringBuilder();
        private int pending;

        Copy(Connection connection, String tableAndColumns) throws SQLException {
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
            this.sql = "copy " + tableAndColumns + " from stdin with (format csv)";
        }

        /** One row; a null value is SQL NULL. */
        void row(String... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    rows.append(',');
                }
                if (values[i] != null) {
                    rows.append('"').append(values[i].replace("\"", "\"\"")).append('"');
                }
            }
            rows.append('\n');
            if (++pending == CHUNK) {
                flush();
            }
        }

        void finish() throws SQLException {
            if (pending > 0) {
                flush();
            }
        }

        private void flush() throws SQLException {
            try {
                copy.copyIn(sql, new StringReader(rows.toString()));
            } catch (IOException e) {
                throw new SQLException("COPY failed: " + e.getMessage(), e);
            }
            rows.setLength(0);
            pending = 0;
        }

        /** A PostgreSQL array literal of text values. */
        static String array(String[] values) {
            StringBuilder array = new StringBuilder("{");
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    array.append(',');
                }
                array.append('"').append(values[i].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return array.append('}').toString();
        }
    }

    /** The user a snapshot shows: its document is the snapshot without id and meta. */
    static StoredUser storedUser(ScimEvent event) {
        ObjectNode document = ((ObjectNode) event.after()).deepCopy();
        JsonNode meta = document.remove("meta");
        document.remove("id");
        withoutDerivedFormattedName(document);
        return new StoredUser(event.tenant(), event.resourceId(), document, event.version(),
                Instant.parse(meta.get("created").asString()), Instant.parse(meta.get("lastModified").asString()));
    }

    /**
     * Rendering adds {@code name.formatted} from the name parts when the stored document has none; a snapshot cannot
     * tell the two apart, so a formatted name equal to the derived one is taken as derived. Either way the user is
     * served identically; only the stored document of a user whose IdP sent exactly the derived value differs.
     */
    private static void withoutDerivedFormattedName(ObjectNode document) {
        if (document.get("name") instanceof ObjectNode name && name.get("formatted") != null && name.get("formatted").isString()) {
            String derived = java.util.stream.Stream.of("givenName", "middleName", "familyName")
                    .map(name::get).filter(part -> part != null && !part.isNull()).map(JsonNode::asString)
                    .collect(java.util.stream.Collectors.joining(" "));
            if (name.get("formatted").stringValue().equals(derived)) {
                name.remove("formatted");
            }
        }
    }

    /**
     * What the worker answered: the resource after the change (none for a deletion), at its version. A change that
     * made several events is recorded with its main one (the user's or group's own, not a membership event).
     */
    private static ChangeOutcome outcome(ScimEvent event) {
        int status = switch (event.type()) {
            case CREATED -> 201;
            case DELETED -> 204;
            default -> 200;
        };
        return new ChangeOutcome(event.changeId(), event.tenant(), event.resourceId(), status, event.version(),
                event.type() == EventType.DELETED ? null : event.after(), null, null);
    }
}
