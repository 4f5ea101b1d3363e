package dev.scimflow.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.scim.MemberType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The groups of every tenant and their memberships. Every query names the tenant in its WHERE clause. A user's
 * membership is a row of {@code scim.group_members}, a nested group's a row of {@code scim.group_member_groups};
 * adding and removing members are set-based statements over the ids that change ({@code insert ... on conflict do
 * nothing}, {@code delete ... = any(?)}), so their cost does not depend on the size of the group, and members are
 * read a page at a time in id order. Indirect memberships (through nested groups) are computed by recursive queries
 * over the nesting rows only, never by loading groups' members.
 */
public class Groups {

    /** The version a group reached when a deleted user left it. */
    public record GroupVersion(String groupId, long version) {
    }

    private static final JsonMapper JSON = StoredJson.MAPPER;
    private static final String COLUMNS = "g.tenant_id, g.id, g.document::text, g.member_count, g.version, g.created_at, g.last_modified";

    private final JdbcClient jdbc;

    public Groups(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<StoredGroup> find(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from scim.groups g where g.tenant_id = ? and g.id = ?")
                .params(tenant, id).query(Groups::map).optional();
    }

    /** Reads the group and locks its row until the transaction ends, so that changes to it serialize. */
    public Optional<StoredGroup> lock(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from scim.groups g where g.tenant_id = ? and g.id = ? for update")
                .params(tenant, id).query(Groups::map).optional();
    }

    /** True when another group of the tenant has this displayName, compared case-insensitively. */
    public boolean displayNameTaken(String tenant, String displayName, String exceptId) {
        return jdbc.sql("select count(*) from scim.groups where tenant_id = ? and lower(display_name) = lower(?) and id <> ?")
                .params(tenant, displayName, exceptId).query(Long.class).single() > 0;
    }

    public void insert(StoredGroup group) {
        jdbc.sql("""
                insert into scim.groups (tenant_id, id, display_name, external_id, document, member_count, version,
                                         created_at, last_modified)
                values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""")
                .params(group.tenant(), group.id(), group.displayName(), group.externalId(),
                        JSON.writeValueAsString(group.document()), group.memberCount(), group.version(),
                        Timestamp.from(group.created()), Timestamp.from(group.lastModified()))
                .update();
    }

    /** Writes the next version of a group's row; fails if the stored version is not the one before it. */
    public void update(StoredGroup group) {
        int updated = jdbc.sql("""
                update scim.groups set display_name = ?, external_id = ?, document = ?::jsonb, member_count = ?,
                       version = ?, last_modified = ?
                where tenant_id = ? and id = ? and version = ?""")
                .params(group.displayName(), group.externalId(), JSON.writeValueAsString(group.document()),
                        group.memberCount(), group.version(), Timestamp.from(group.lastModified()),
                        group.tenant(), group.id(), group.version() - 1)
                .update();
        if (updated != 1) {
            throw new IllegalStateException("group " + group.id() + " is not at version " + (group.version() - 1));
        }
    }

    /** Deletes the group and, with it, its membership rows. */
    public boolean delete(String tenant, String id) {
        return jdbc.sql("delete from scim.groups where tenant_id = ? and id = ?").params(tenant, id).update() == 1;
    }

    /** The ids among these that are not users of the tenant, in the order given. */
    public List<String> unknownUsers(String tenant, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select k.id from unnest(?::text[]) with ordinality k(id, n)
                where not exists (select 1 from scim.users u where u.tenant_id = ? and u.id = k.id)
                order by k.n""")
                .params(array(userIds), tenant).query(String.class).list();
    }

    /** Which of these ids are users and which groups of the tenant; ids that are neither are absent. */
    public Map<String, MemberType> memberTypes(String tenant, Collection<String> ids) {
        Map<String, MemberType> types = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return types;
        }
        jdbc.sql("""
                select u.id, 'USER' from scim.users u where u.tenant_id = ? and u.id = any(?::text[])
                union all
                select g.id, 'GROUP' from scim.groups g where g.tenant_id = ? and g.id = any(?::text[])""")
                .params(tenant, array(ids), tenant, array(ids))
                .query((ResultSet rs) -> {
                    types.putIfAbsent(rs.getString(1), MemberType.valueOf(rs.getString(2)));
                });
        return types;
    }

    /**
     * Serializes the nesting changes of a tenant until the transaction ends: two changes that each pass the cycle check
     * alone (A into B, B into A) must not both commit. Taken only by changes that add groups to groups.
     */
    public void lockNesting(String tenant) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('scim.group_member_groups'), hashtext(?))").param(tenant)
                .query((rs, n) -> 1).list();
    }

    /**
     * Those of {@code candidates} that are the group itself or a group it is nested in, at any depth: adding any of
     * them to the group would make a cycle. Walks up from the group over nesting rows only.
     */
    public List<String> groupAndAncestorsAmong(String tenant, String groupId, Collection<String> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                with recursive up(id) as (
                    select ?::text
                    union
                    select n.group_id from scim.group_member_groups n join up on n.member_group_id = up.id
                    where n.tenant_id = ?)
                select id from up where id = any(?::text[]) order by id""")
                .params(groupId, tenant, array(candidates)).query(String.class).list();
    }

    /** Adds these groups to the group; returns those that were not members before. */
    public List<String> addMemberGroups(String tenant, String groupId, Collection<String> groupIds) {
        if (groupIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                insert into scim.group_member_groups (tenant_id, group_id, member_group_id)
                select ?, ?, k.id from unnest(?::text[]) k(id)
                on conflict do nothing
                returning member_group_id""")
                .params(tenant, groupId, array(groupIds)).query(String.class).list();
    }

    /** Removes these groups from the group; returns those that were members. */
    public List<String> removeMemberGroups(String tenant, String groupId, Collection<String> groupIds) {
        if (groupIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                delete from scim.group_member_groups where tenant_id = ? and group_id = ? and member_group_id = any(?::text[])
                returning member_group_id""")
                .params(tenant, groupId, array(groupIds)).query(String.class).list();
    }

    /** As {@link #removeMembersExcept}, for the group's nested groups. */
    public List<String> removeMemberGroupsExcept(String tenant, String groupId, Collection<String> keep, int limit) {
        List<String> victims = jdbc.sql("""
                select n.member_group_id from scim.group_member_groups n
                where n.tenant_id = ? and n.group_id = ? and n.member_group_id not in (select unnest(?::text[]))
                order by n.member_group_id limit ?""")
                .params(tenant, groupId, array(keep), limit).query(String.class).list();
        return removeMemberGroups(tenant, groupId, victims);
    }

    /**
     * Locks the rows of the groups a group is a direct member of, in id order: its deletion takes them before its own
     * row, as a change of a parent takes the parent's row before touching its member's.
     */
    public void lockParentsOf(String tenant, String groupId) {
        jdbc.sql("""
                select g.id from scim.groups g
                where g.tenant_id = ? and g.id in (select n.group_id from scim.group_member_groups n
                                                   where n.tenant_id = ? and n.member_group_id = ?)
                order by g.id for update of g""")
                .params(tenant, tenant, groupId).query(String.class).list();
    }

    /**
     * Removes a group from every group it is a member of, bumping each parent's version and member count in the same
     * statement; returns the parents with their new versions, by id.
     */
    public List<GroupVersion> removeFromAllParents(String tenant, String groupId, Instant at) {
        List<GroupVersion> parents = new ArrayList<>(jdbc.sql("""
                with removed as (
                    delete from scim.group_member_groups where tenant_id = ? and member_group_id = ? returning group_id)
                update scim.groups g set version = g.version + 1, member_count = g.member_count - 1,
                       last_modified = greatest(g.last_modified, ?)
                from removed r where g.tenant_id = ? and g.id = r.group_id
                returning g.id, g.version""")
                .params(tenant, groupId, Timestamp.from(at), tenant)
                .query((rs, n) -> new GroupVersion(rs.getString(1), rs.getLong(2))).list());
        parents.sort(Comparator.comparing(GroupVersion::groupId));
        return parents;
    }

    /** Adds these users to the group; returns those that were not members before. */
    public List<String> addMembers(String tenant, String groupId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                insert into scim.group_members (tenant_id, group_id, user_id)
                select ?, ?, k.id from unnest(?::text[]) k(id)
                on conflict do nothing
                returning user_id""")
                .params(tenant, groupId, array(userIds)).query(String.class).list();
    }

    /** Removes these users from the group; returns those that were members. */
    public List<String> removeMembers(String tenant, String groupId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc
                .sql("delete from scim.group_members where tenant_id = ? and group_id = ? and user_id = any(?::text[]) returning user_id")
                .params(tenant, groupId, array(userIds)).query(String.class).list();
    }

    /**
     * Removes up to {@code limit} members that are not among {@code keep} (empty: any member), lowest user ids
     * first, and returns them. Called until it returns fewer than {@code limit}, it removes them all while
     * holding at most {@code limit} ids in memory at a time. Two statements on purpose: choosing the victims
     * walks an index with {@code keep} as a hashed subplan, and deleting them is a lookup by key; planners
     * (especially before the table has statistics) turn the one-statement forms into per-row re-scans.
     */
    public List<String> removeMembersExcept(String tenant, String groupId, Collection<String> keep, int limit) {
        List<String> victims = jdbc.sql("""
                select m.user_id from scim.group_members m
                where m.tenant_id = ? and m.group_id = ? and m.user_id not in (select unnest(?::text[]))
                order by m.user_id limit ?""")
                .params(tenant, groupId, array(keep), limit).query(String.class).list();
        return removeMembers(tenant, groupId, victims);
    }

    /**
     * Locks the rows of the groups a user belongs to, in id order. A user's deletion takes these locks before
     * the user's own, in the order every group change takes them (group, then its members' users), so that
     * the two cannot deadlock.
     */
    public void lockGroupsOf(String tenant, String userId) {
        jdbc.sql("""
                select g.id from scim.groups g
                where g.tenant_id = ? and g.id in (select m.group_id from scim.group_members m where m.tenant_id = ? and m.user_id = ?)
                order by g.id for update of g""")
                .params(tenant, tenant, userId).query(String.class).list();
    }

    /**
     * Removes a user from every group it belongs to, bumping each group's version and member count in the same
     * statement; returns the groups with their new versions, by group id.
     */
    public List<GroupVersion> removeFromAllGroups(String tenant, String userId, Instant at) {
        List<GroupVersion> groups = new ArrayList<>(jdbc.sql("""
                with removed as (
                    delete from scim.group_members where tenant_id = ? and user_id = ? returning group_id)
                update scim.groups g set version = g.version + 1, member_count = g.member_count - 1,
                       last_modified = greatest(g.last_modified, ?)
                from removed r where g.tenant_id = ? and g.id = r.group_id
                returning g.id, g.version""")
                .params(tenant, userId, Timestamp.from(at), tenant)
                .query((rs, n) -> new GroupVersion(rs.getString(1), rs.getLong(2))).list());
        groups.sort(Comparator.comparing(GroupVersion::groupId));
        return groups;
    }

    /**
     * Up to {@code limit} members of a group (users and nested groups) in id order, after {@code after} (null: from the
     * first).
     */
    public List<GroupMember> members(String tenant, String groupId, GroupMember after, int limit) {
        return jdbc.sql("""
                select id, display, type from (
                    select m.user_id as id, coalesce(u.document->>'displayName', u.user_name) as display, 'USER' as type
                    from scim.group_members m join scim.users u on u.tenant_id = m.tenant_id and u.id = m.user_id
                    where m.tenant_id = ? and m.group_id = ? and m.user_id >= ?
                    union all
                    select n.member_group_id, c.display_name, 'GROUP'
                    from scim.group_member_groups n join scim.groups c on c.tenant_id = n.tenant_id and c.id = n.member_group_id
                    where n.tenant_id = ? and n.group_id = ? and n.member_group_id >= ?) members
                where (id, type) > (?, ?)
                order by id, type limit ?""")
                .params(tenant, groupId, after == null ? "" : after.id(), tenant, groupId, after == null ? "" : after.id(),
                        after == null ? "" : after.id(), after == null ? "" : after.type().name(), limit)
                .query((rs, n) -> new GroupMember(rs.getString(1), rs.getString(2), MemberType.valueOf(rs.getString(3)))).list();
    }

    /**
     * Hands every member of a group to {@code each}, in id order, reading {@code pageSize} at a time by
     * keyset, so that a group of any size is never held in memory. Call it in one transaction (repeatable read)
     * for a consistent view.
     */
    public void forEachMember(String tenant, String groupId, int pageSize, Consumer<GroupMember> each) {
        GroupMember after = null;
        List<GroupMember> page;
        do {
            page = members(tenant, groupId, after, pageSize);
            page.forEach(each);
            after = page.isEmpty() ? after : page.get(page.size() - 1);
        } while (page.size() == pageSize);
    }

    /**
     * The groups of a tenant matching a search, without members, in a stable order: the requested sort (missing
     * values last), then creation, then id. Index paging counts from the 1-based startIndex; cursor paging
     * resumes after the position of the previous page, in creation order.
     */
    public GroupPage search(String tenant, GroupSearch search) {
        SqlCondition condition = search.filter() == null ? SqlCondition.TRUE : GroupFilterSql.toSql(search.filter());
        List<Object> params = new ArrayList<>();
        params.add(tenant);
        params.addAll(condition.params());
        String where = " from scim.groups g where g.tenant_id = ? and (" + condition.sql() + ")";
        long total = jdbc.sql("select count(*)" + where).params(params).query(Long.class).single();
        if (search.count() == 0) {
            return new GroupPage(total, List.of(), null);
        }
        if (search.after() != null) {
            where += " and (g.created_at, g.id) > (?, ?)";
            params.add(Timestamp.from(search.after().created()));
            params.add(search.after().id());
        }
        String direction = search.descending() ? " desc" : "";
        String orderBy = search.sortBy() == null
                ? " order by g.created_at" + direction + ", g.id" + direction
                : " order by " + GroupFilterSql.sortKey(search.sortBy()) + direction + " nulls last, g.created_at, g.id";
        String page = " limit ?";
        params.add(search.cursorPaging() ? search.count() + 1 : search.count());
        if (!search.cursorPaging()) {
            page += " offset ?";
            params.add(search.startIndex() - 1);
        }
        List<StoredGroup> groups = jdbc.sql("select " + COLUMNS + where + orderBy + page).params(params).query(Groups::map).list();
        if (search.cursorPaging() && groups.size() > search.count()) {
            groups = groups.subList(0, search.count());
            StoredGroup last = groups.get(groups.size() - 1);
            return new GroupPage(total, groups, new UserSearch.Position(last.created(), last.id()));
        }
        return new GroupPage(total, groups, null);
    }

    /**
     * The groups of each of these users, for their read-only {@code groups} attribute, in one query: every user id
     * given is a key (with an empty list when it belongs to no group). Those it is a member of itself are direct; those
     * it reaches only through nested groups, computed by walking up the nesting rows, are indirect. By displayName.
     */
    public Map<String, List<GroupRef>> groupsOf(String tenant, Collection<String> userIds) {
        Map<String, List<GroupRef>> groups = new LinkedHashMap<>();
        userIds.forEach(id -> groups.put(id, new ArrayList<>()));
        if (userIds.isEmpty()) {
            return groups;
        }
        jdbc.sql("""
                with recursive reached(user_id, group_id, direct) as (
                    select m.user_id, m.group_id, true from scim.group_members m
                    where m.tenant_id = ? and m.user_id = any(?::text[])
                    union
                    select r.user_id, n.group_id, false from reached r
                    join scim.group_member_groups n on n.tenant_id = ? and n.member_group_id = r.group_id)
                select r.user_id, g.id, g.display_name, bool_or(r.direct)
                from reached r join scim.groups g on g.tenant_id = ? and g.id = r.group_id
                group by r.user_id, g.id, g.display_name
                order by r.user_id, lower(g.display_name), g.id""")
                .params(tenant, array(userIds), tenant, tenant)
                .query((ResultSet rs) -> {
                    groups.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                            .add(new GroupRef(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                });
        return groups;
    }

    private static String[] array(Collection<String> values) {
        return values.toArray(String[]::new);
    }

    private static StoredGroup map(ResultSet rs, int row) throws SQLException {
        return new StoredGroup(rs.getString(1), rs.getString(2), (ObjectNode) JSON.readTree(rs.getString(3)),
                rs.getLong(4), rs.getLong(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant());
    }
}
