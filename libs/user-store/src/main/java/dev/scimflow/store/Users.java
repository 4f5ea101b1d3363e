package dev.scimflow.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The users of every tenant. Every query names the tenant in its WHERE clause, so that no id, filter or page
 * can reach another tenant's users.
 */
public class Users {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "tenant_id, id, document::text, version, created_at, last_modified";

    private final JdbcClient jdbc;

    public Users(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<StoredUser> find(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from scim.users where tenant_id = ? and id = ?")
                .params(tenant, id).query(Users::map).optional();
    }

    /** Reads the user and locks its row until the transaction ends, so that changes to it serialize. */
    public Optional<StoredUser> lock(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from scim.users where tenant_id = ? and id = ? for update")
                .params(tenant, id).query(Users::map).optional();
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
