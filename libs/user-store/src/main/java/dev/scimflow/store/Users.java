package dev.scimflow.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The users of every tenant. Every query names the tenant in its WHERE clause, so that no id, filter or page
 * can reach another tenant's users.
 */
public class Users {

    private static final JsonMapper JSON = StoredJson.MAPPER;
    private static final String COLUMNS = "tenant_id, id, document::text, version, created_at, last_modified";

    private final JdbcClient jdbc;

    public Users(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<StoredUser> find(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from scim.users where tenant_id = ? and id = ?")
                .params(tenant, id).query(Users::map).optional();
    }

    /**
     * The user and its groups in one query (one round trip, one connection), as {@link #find} and
     * {@link Groups#groupsOf} would answer them: its groups direct or through nested groups, by displayName (case
     * ignored), then id.
     */
    public Optional<UserWithGroups> findWithGroups(String tenant, String id) {
        return jdbc.sql("""
                select u.tenant_id, u.id, u.document::text, u.version, u.created_at, u.last_modified, m.ids, m.names, m.direct
                from scim.users u
                left join lateral (
                    with recursive reached(group_id, direct) as (
                        select gm.group_id, true from scim.group_members gm where gm.tenant_id = u.tenant_id and gm.user_id = u.id
                        union
                        select n.group_id, false from reached r
                        join scim.group_member_groups n on n.tenant_id = u.tenant_id and n.member_group_id = r.group_id)
                    select array_agg(g.id order by lower(g.display_name), g.id) ids,
                           array_agg(g.display_name order by lower(g.display_name), g.id) names,
                           array_agg(r.direct order by lower(g.display_name), g.id) direct
                    from (select group_id, bool_or(direct) direct from reached group by group_id) r
                    join scim.groups g on g.tenant_id = u.tenant_id and g.id = r.group_id) m on true
                where u.tenant_id = ? and u.id = ?""")
                .params(tenant, id).query((rs, row) -> new UserWithGroups(map(rs, row), groupRefs(rs))).optional();
    }

    private static List<GroupRef> groupRefs(ResultSet rs) throws SQLException {
        java.sql.Array ids = rs.getArray(7);
        if (ids == null) {
            return List.of();
        }
        String[] values = (String[]) ids.getArray();
        String[] names = (String[]) rs.getArray(8).getArray();
        Boolean[] direct = (Boolean[]) rs.getArray(9).getArray();
        List<GroupRef> groups = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            groups.add(new GroupRef(values[i], names[i], direct[i]));
        }
        return groups;
    }

    /** Reads the user and locks its row until the transaction ends, so that changes to it serialize. */
    public Optional<StoredUser> lock(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from scim.users where tenant_id = ? and id = ? for update")
                .params(tenant, id).query(Users::map).optional();
    }

    /**
     * Reads the users with these keys and locks their rows until the transaction ends, in key order (so that two
     * transactions locking overlapping sets cannot deadlock). {@code for no key update}: a concurrent group change that
     * adds one of them as a member (a key-share lock, through its foreign key) is not blocked. Keys without a user are
     * absent from the result.
     */
    public Map<UserKey, StoredUser> lockAll(Collection<UserKey> keys) {
        Map<UserKey, StoredUser> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.sql("select " + COLUMNS + " from scim.users where (tenant_id, id) in (select * from unnest(?::text[], ?::text[]))"
                + " order by tenant_id, id for no key update")
                .params(texts(keys, UserKey::tenant), texts(keys, UserKey::id))
                .query(Users::map).list()
                .forEach(user -> found.put(user.key(), user));
        return found;
    }

    /**
     * For each of these userNames: the name as the unique index compares it (the database's {@code lower}) and the id
     * of the tenant's user that holds it, if any. What the uniqueness checks of a batch of changes start from.
     */
    public List<UserNameHolder> userNameHolders(Collection<UserName> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select k.t, k.n, lower(k.n), u.id
                from unnest(?::text[], ?::text[]) k(t, n)
                left join scim.users u on u.tenant_id = k.t and lower(u.user_name) = lower(k.n)""")
                .params(texts(names, UserName::tenant), texts(names, UserName::userName))
                .query((rs, n) -> new UserNameHolder(new UserName(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getString(4)))
                .list();
    }

    /** A userName of a tenant, as sent. */
    public record UserName(String tenant, String userName) {
    }

    /**
     * A userName, the form the unique index compares, and the id of the user that holds it (null when it is free).
     */
    public record UserNameHolder(UserName name, String folded, String holderId) {
    }

    /** Inserts new users in one statement. */
    public void insertAll(List<StoredUser> users) {
        if (users.isEmpty()) {
            return;
        }
        jdbc.sql("""
                insert into scim.users (tenant_id, id, user_name, external_id, active, email_values, document, version,
                                        created_at, last_modified)
                select k.tenant_id, k.id, k.user_name, k.external_id, k.active, k.email_values::text[], k.document,
                       k.version, k.created_at, k.last_modified
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::jsonb[], ?::bigint[],
                            ?::timestamptz[], ?::timestamptz[])
                     k(tenant_id, id, user_name, external_id, active, email_values, document, version, created_at, last_modified)""")
                .params(texts(users, StoredUser::tenant), texts(users, StoredUser::id), texts(users, StoredUser::userName),
                        texts(users, StoredUser::externalId), users.stream().map(StoredUser::active).toArray(Boolean[]::new),
                        texts(users, user -> PgArrays.textArray(List.of(user.emailValues()))),
                        texts(users, user -> JSON.writeValueAsString(user.document())),
                        users.stream().map(StoredUser::version).toArray(Long[]::new),
                        texts(users, user -> user.created().toString()), texts(users, user -> user.lastModified().toString()))
                .update();
    }

    /**
     * Writes new versions of users in one statement. Each row must still be at the version given for it (the one the
     * caller read and locked); otherwise this throws, and the caller's transaction must roll back.
     */
    public void updateAll(List<StoredUser> users, List<Long> readVersions) {
        if (users.isEmpty()) {
            return;
        }
        int updated = jdbc.sql("""
                update scim.users u set user_name = k.user_name, external_id = k.external_id, active = k.active,
                       email_values = k.email_values::text[], document = k.document, version = k.version,
                       last_modified = k.last_modified
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::jsonb[], ?::bigint[],
                            ?::timestamptz[], ?::bigint[])
                     k(tenant_id, id, user_name, external_id, active, email_values, document, version, last_modified, read)
                where u.tenant_id = k.tenant_id and u.id = k.id and u.version = k.read""")
                .params(texts(users, StoredUser::tenant), texts(users, StoredUser::id), texts(users, StoredUser::userName),
                        texts(users, StoredUser::externalId), users.stream().map(StoredUser::active).toArray(Boolean[]::new),
                        texts(users, user -> PgArrays.textArray(List.of(user.emailValues()))),
                        texts(users, user -> JSON.writeValueAsString(user.document())),
                        users.stream().map(StoredUser::version).toArray(Long[]::new),
                        texts(users, user -> user.lastModified().toString()), readVersions.toArray(Long[]::new))
                .update();
        if (updated != users.size()) {
            throw new IllegalStateException((users.size() - updated) + " of " + users.size() + " users were no longer at the version read");
        }
    }

    private static <T> String[] texts(Collection<T> items, Function<T, String> value) {
        return items.stream().map(value).toArray(String[]::new);
    }

    /** True when another user of the tenant has this userName, compared case-insensitively. */
    public boolean userNameTaken(String tenant, String userName, String exceptId) {
        return jdbc.sql("select count(*) from scim.users where tenant_id = ? and lower(user_name) = lower(?) and id <> ?")
                .params(tenant, userName, exceptId).query(Long.class).single() > 0;
    }

    public void insert(StoredUser user) {
        jdbc.sql("""
                insert into scim.users (tenant_id, id, user_name, external_id, active, email_values, document, version,
                                        created_at, last_modified)
                values (?, ?, ?, ?, ?, ?::text[], ?::jsonb, ?, ?, ?)""")
                .params(user.tenant(), user.id(), user.userName(), user.externalId(), user.active(), user.emailValues(),
                        JSON.writeValueAsString(user.document()), user.version(),
                        Timestamp.from(user.created()), Timestamp.from(user.lastModified()))
                .update();
    }

    /** Writes the next version of a user; fails if the stored version is not the one before it. */
    public void update(StoredUser user) {
        int updated = jdbc.sql("""
                update scim.users set user_name = ?, external_id = ?, active = ?, email_values = ?::text[], document = ?::jsonb,
                       version = ?, last_modified = ?
                where tenant_id = ? and id = ? and version = ?""")
                .params(user.userName(), user.externalId(), user.active(), user.emailValues(), JSON.writeValueAsString(user.document()),
                        user.version(), Timestamp.from(user.lastModified()), user.tenant(), user.id(), user.version() - 1)
                .update();
        if (updated != 1) {
            throw new IllegalStateException("user " + user.id() + " is not at version " + (user.version() - 1));
        }
    }

    public boolean delete(String tenant, String id) {
        return jdbc.sql("delete from scim.users where tenant_id = ? and id = ?").params(tenant, id).update() == 1;
    }

    /**
     * The users of a tenant matching a search, in a stable order: the requested sort (missing values last),
     * then creation, then id. Index paging counts from the 1-based startIndex; cursor paging resumes after
     * the position of the previous page, in creation order.
     */
    public UserPage search(String tenant, UserSearch search) {
        SqlCondition condition = search.filter() == null ? SqlCondition.TRUE : UserFilterSql.toSql(search.filter(), tenant);
        List<Object> params = new ArrayList<>();
        params.add(tenant);
        params.addAll(condition.params());
        String where = " from scim.users where tenant_id = ? and (" + condition.sql() + ")";
        long total = jdbc.sql("select count(*)" + where).params(params).query(Long.class).single();
        if (search.count() == 0) {
            return new UserPage(total, List.of(), null);
        }
        if (search.after() != null) {
            where += " and (created_at, id) > (?, ?)";
            params.add(Timestamp.from(search.after().created()));
            params.add(search.after().id());
        }
        String direction = search.descending() ? " desc" : "";
        String orderBy = " order by created_at" + direction + ", id" + direction;
        if (search.sortBy() != null) {
            SqlCondition key = UserFilterSql.sortKey(search.sortBy());
            orderBy = " order by " + key.sql() + direction + " nulls last, created_at, id";
            params.addAll(key.params());
        }
        String page = " limit ?";
        params.add(search.cursorPaging() ? search.count() + 1 : search.count());
        if (!search.cursorPaging()) {
            page += " offset ?";
            params.add(search.startIndex() - 1);
        }
        List<StoredUser> users = jdbc.sql("select " + COLUMNS + where + orderBy + page).params(params).query(Users::map).list();
        if (search.cursorPaging() && users.size() > search.count()) {
            users = users.subList(0, search.count());
            StoredUser last = users.get(users.size() - 1);
            return new UserPage(total, users, new UserSearch.Position(last.created(), last.id()));
        }
        return new UserPage(total, users, null);
    }

    private static StoredUser map(ResultSet rs, int row) throws SQLException {
        return new StoredUser(rs.getString(1), rs.getString(2), (ObjectNode) JSON.readTree(rs.getString(3)),
                rs.getLong(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
    }
}
