package dev.scimflow.ops.recovery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.StoredUser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The events of {@code scim.events} that came after a user store was rebuilt, folded as {@link RebuiltStore} folds them
 * and written on top of that store with SQL: what the worker applied while the rebuild ran. Each user and group ends as
 * its latest snapshot (or deleted), memberships as their events added and removed them, each change recorded as applied
 * (with its own event's outcome; a change seen only in membership events with that one's). Events come in their order
 * within each partition; a round's events may stop at different points of different partitions, so a round whose rows
 * the store's keys refuse (a member whose user's creation is not read yet) is rolled back by the caller and read again
 * with more.
 */
final class StoreCatchUp {

    private final String schema;
    private final RoleAttribute roleAttribute;
    private final Set<String> tenants = new LinkedHashSet<>();
    /** The latest state of each user the round touched: its row, or null when deleted. */
    private final Map<String, StoredUser> users = new LinkedHashMap<>();
    private final Map<String, GroupDelta> groups = new LinkedHashMap<>();
    private final Map<UUID, AppliedChange> changes = new LinkedHashMap<>();
    private long events;

    StoreCatchUp(String schema, RoleAttribute roleAttribute) {
        this.schema = schema;
        this.roleAttribute = roleAttribute;
    }

    private record AppliedChange(UUID changeId, String tenant, String resourceId, String outcome, Instant appliedAt, boolean main) {
    }

    /** A group as this round leaves it: its latest snapshot if it had one, the members added and removed, or deleted. */
    private static final class GroupDelta {
        private final String tenant;
        private final String id;
        private ScimEvent snapshot;
        private boolean deleted;
        private long version;
        private Instant lastModified;
        /** Member id to true when added, false when removed, in the order last changed. */
        private final Map<String, Boolean> users = new LinkedHashMap<>();
        private final Map<String, Boolean> groups = new LinkedHashMap<>();

        GroupDelta(String tenant, String id) {
            this.tenant = tenant;
            this.id = id;
        }
    }

    long events() {
        return events;
    }

    /** Folds the next event (in its partition's order). */
    void add(byte[] json) {
        ScimEvent event = RebuiltStore.EVENTS.readValue(json);
        events++;
        tenants.add(event.tenant());
        Instant appliedAt = event.appliedAt() != null ? event.appliedAt() : Instant.now();
        boolean main = !RebuiltStore.isMembership(event);
        AppliedChange change = new AppliedChange(event.changeId(), event.tenant(), event.resourceId(),
                RebuiltStore.OUTCOMES.writeValueAsString(RebuiltStore.outcome(event)), appliedAt, main);
        if (main) {
            if (changes.get(event.changeId()) == null || !changes.get(event.changeId()).main()) {
                changes.put(event.changeId(), change);
            }
        } else {
            changes.putIfAbsent(event.changeId(), change);
        }
        String key = event.tenant() + '\u0000' + event.resourceId();
        if (event.resourceType() == ResourceType.GROUP) {
            addGroupEvent(groups.computeIfAbsent(key, k -> new GroupDelta(event.tenant(), event.resourceId())), event);
        } else if (event.type() == EventType.DELETED) {
            users.put(key, null);
        } else if (event.after() != null) {
            users.put(key, RebuiltStore.storedUser(event));
        }
    }

    private static void addGroupEvent(GroupDelta group, ScimEvent event) {
        if (event.type() == EventType.DELETED) {
            group.deleted = true;
            group.snapshot = null;
            group.users.clear();
            group.groups.clear();
            return;
        }
        group.version = event.version();
        if (event.after() != null) {
            group.snapshot = event;
            group.lastModified = IsoInstants.parse(event.after().get("meta").get("lastModified").asString());
        } else if (event.changedAt() != null && (group.lastModified == null || event.changedAt().isAfter(group.lastModified))) {
            group.lastModified = event.changedAt();
        }
        if (event.members() != null) {
            Map<String, Boolean> members = event.memberTypeOrUser() == ResourceType.GROUP ? group.groups : group.users;
            boolean added = event.type() != EventType.MEMBERS_REMOVED;
            for (String member : event.members()) {
                members.remove(member);
                members.put(member, added);
            }
        }
    }

    /**
     * Writes what the round folded, in the caller's transaction, in the order the store's keys allow: tenants, applied
     * changes, users, groups, memberships removed then added, member counts, then deleted groups and users.
     */
    void write(Connection connection) throws SQLException {
        batch(connection, "insert into " + schema + ".tenants (id, role_attribute) values (?, ?) on conflict do nothing",
                tenants, (insert, tenant) -> {
                    insert.setString(1, tenant);
                    insert.setString(2, roleAttribute.label());
                });
        String appliedColumns = " (change_id, tenant_id, resource_id, outcome, applied_at) values (?, ?, ?, ?::jsonb, ?)";
        batch(connection, "insert into " + schema + ".applied_changes" + appliedColumns + " on conflict (change_id) do update set"
                + " tenant_id = excluded.tenant_id, resource_id = excluded.resource_id, outcome = excluded.outcome,"
                + " applied_at = excluded.applied_at", changes.values().stream().filter(AppliedChange::main).toList(),
                StoreCatchUp::applied);
        batch(connection, "insert into " + schema + ".applied_changes" + appliedColumns + " on conflict do nothing",
                changes.values().stream().filter(change -> !change.main()).toList(), StoreCatchUp::applied);

        var written = users.values().stream().filter(user -> user != null).toList();
        // a userName may move from one user to another within the round: free the names of the users rewritten first
        batch(connection, "update " + schema + ".users set user_name = 'scimflow-rebuild:' || id where tenant_id = ? and id = ?",
                written, (update, user) -> {
                    update.setString(1, user.tenant());
                    update.setString(2, user.id());
                });
        batch(connection, "insert into " + schema + ".users (tenant_id, id, user_name, external_id, active, email_values, document,"
                + " version, created_at, last_modified) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) on conflict (tenant_id, id) do"
                + " update set user_name = excluded.user_name, external_id = excluded.external_id, active = excluded.active,"
                + " email_values = excluded.email_values, document = excluded.document, version = excluded.version,"
                + " created_at = excluded.created_at, last_modified = excluded.last_modified", written, (insert, user) -> {
                    insert.setString(1, user.tenant());
                    insert.setString(2, user.id());
                    insert.setString(3, user.userName());
                    insert.setString(4, user.externalId());
                    insert.setBoolean(5, user.active());
                    insert.setArray(6, connection.createArrayOf("text", user.emailValues()));
                    insert.setString(7, EventCodec.mapper().writeValueAsString(user.document()));
                    insert.setLong(8, user.version());
                    insert.setTimestamp(9, Timestamp.from(user.created()));
                    insert.setTimestamp(10, Timestamp.from(user.lastModified()));
                });

        var live = groups.values().stream().filter(group -> !group.deleted).toList();
        var snapshots = live.stream().filter(group -> group.snapshot != null).toList();
        batch(connection, "update " + schema + ".groups set display_name = 'scimflow-rebuild:' || id where tenant_id = ? and id = ?",
                snapshots, (update, group) -> {
                    update.setString(1, group.tenant);
                    update.setString(2, group.id);
                });
        batch(connection, "insert into " + schema + ".groups (tenant_id, id, display_name, external_id, document, member_count, version,"
                + " created_at, last_modified) values (?, ?, ?, ?, ?::jsonb, 0, ?, ?, ?) on conflict (tenant_id, id) do update set"
                + " display_name = excluded.display_name, external_id = excluded.external_id, document = excluded.document,"
                + " version = excluded.version, created_at = excluded.created_at, last_modified = excluded.last_modified",
                snapshots, (insert, group) -> {
                    ObjectNode document = ((ObjectNode) group.snapshot.after()).deepCopy();
                    JsonNode meta = document.remove("meta");
                    document.remove("id");
                    document.remove("members");
                    insert.setString(1, group.tenant);
                    insert.setString(2, group.id);
                    insert.setString(3, document.get("displayName").asString());
                    JsonNode externalId = document.get("externalId");
                    insert.setString(4, externalId == null || externalId.isNull() ? null : externalId.asString());
                    insert.setString(5, EventCodec.mapper().writeValueAsString(document));
                    insert.setLong(6, group.version);
                    insert.setTimestamp(7, Timestamp.from(IsoInstants.parse(meta.get("created").asString())));
                    insert.setTimestamp(8, Timestamp.from(group.lastModified));
                });
        // a membership change carries no snapshot: it moves the version, and lastModified to when it was accepted
        batch(connection, "update " + schema + ".groups set version = ?, last_modified = greatest(last_modified, ?)"
                + " where tenant_id = ? and id = ?", live.stream().filter(group -> group.snapshot == null).toList(), (update, group) -> {
                    update.setLong(1, group.version);
                    update.setTimestamp(2, group.lastModified == null ? null : Timestamp.from(group.lastModified));
                    update.setString(3, group.tenant);
                    update.setString(4, group.id);
                });
        memberships(connection, live, "group_members", "user_id", true);
        memberships(connection, live, "group_member_groups", "member_group_id", false);
        batch(connection, "update " + schema + ".groups g set member_count = (select count(*) from " + schema + ".group_members m"
                + " where m.tenant_id = g.tenant_id and m.group_id = g.id) + (select count(*) from " + schema + ".group_member_groups n"
                + " where n.tenant_id = g.tenant_id and n.group_id = g.id) where g.tenant_id = ? and g.id = ?", live, (update, group) -> {
                    update.setString(1, group.tenant);
                    update.setString(2, group.id);
                });
        batch(connection, "delete from " + schema + ".groups where tenant_id = ? and id = ?",
                groups.values().stream().filter(group -> group.deleted).toList(), (delete, group) -> {
                    delete.setString(1, group.tenant);
                    delete.setString(2, group.id);
                });
        batch(connection, "delete from " + schema + ".users where tenant_id = ? and id = ?",
                users.entrySet().stream().filter(user -> user.getValue() == null).map(Map.Entry::getKey).toList(), (delete, key) -> {
                    int split = key.indexOf('\u0000');
                    delete.setString(1, key.substring(0, split));
                    delete.setString(2, key.substring(split + 1));
                });
    }

    private void memberships(Connection connection, java.util.List<GroupDelta> live, String table, String column, boolean users)
            throws SQLException {
        record Membership(String tenant, String group, String member) {
        }
        java.util.List<Membership> removed = new java.util.ArrayList<>();
        java.util.List<Membership> added = new java.util.ArrayList<>();
        for (GroupDelta group : live) {
            (users ? group.users : group.groups)
                    .forEach((member, isAdded) -> (isAdded ? added : removed).add(new Membership(group.tenant, group.id, member)));
        }
        batch(connection, "delete from " + schema + "." + table + " where tenant_id = ? and group_id = ? and " + column + " = ?",
                removed, (delete, membership) -> {
                    delete.setString(1, membership.tenant());
                    delete.setString(2, membership.group());
                    delete.setString(3, membership.member());
                });
        batch(connection, "insert into " + schema + "." + table + " (tenant_id, group_id, " + column + ") values (?, ?, ?)"
                + " on conflict do nothing", added, (insert, membership) -> {
                    insert.setString(1, membership.tenant());
                    insert.setString(2, membership.group());
                    insert.setString(3, membership.member());
                });
    }

    private static void applied(PreparedStatement insert, AppliedChange change) throws SQLException {
        insert.setObject(1, change.changeId());
        insert.setString(2, change.tenant());
        insert.setString(3, change.resourceId());
        insert.setString(4, change.outcome());
        insert.setTimestamp(5, Timestamp.from(change.appliedAt()));
    }

    private interface Binder<T> {
        void bind(PreparedStatement statement, T value) throws SQLException;
    }

    private static <T> void batch(Connection connection, String sql, Iterable<T> values, Binder<T> binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int pending = 0;
            for (T value : values) {
                binder.bind(statement, value);
                statement.addBatch();
                if (++pending == 1000) {
                    statement.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        }
    }
}
