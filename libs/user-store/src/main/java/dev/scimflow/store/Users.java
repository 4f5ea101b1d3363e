package dev.scimflow.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.unboundid.scim2.common.filters.Filter;

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
                        insert into scim.users (tenant_id, id, user_name, external_id, active, document, version, created_at, last_modified)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")
                .params(user.tenant(), user.id(), user.userName(), user.externalId(), user.active(),
                        JSON.writeValueAsString(user.document()), user.version(),
                        Timestamp.from(user.created()), Timestamp.from(user.lastModified()))
                .update();
    }

    /** Writes the next version of a user; fails if the stored version is not the one before it. */
    public void update(StoredUser user) {
        int updated = jdbc.sql("""
                        update scim.users set user_name = ?, external_id = ?, active = ?, document = ?::jsonb,
                               version = ?, last_modified = ?
                        where tenant_id = ? and id = ? and version = ?""")
                .params(user.userName(), user.externalId(), user.active(), JSON.writeValueAsString(user.document()),
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
     * The users of a tenant matching a SCIM filter (null for all), in a stable order (creation, then id),
     * from the 1-based {@code startIndex}, at most {@code count} of them.
     */
    public UserPage search(String tenant, Filter filter, int startIndex, int count) {
        SqlCondition condition = filter == null ? SqlCondition.TRUE : UserFilterSql.toSql(filter);
        List<Object> params = new ArrayList<>();
        params.add(tenant);
        params.addAll(condition.params());
        String where = " from scim.users where tenant_id = ? and (" + condition.sql() + ")";
        long total = jdbc.sql("select count(*)" + where).params(params).query(Long.class).single();
        if (count == 0 || total < startIndex) {
            return new UserPage(total, List.of());
        }
        params.add(count);
        params.add(startIndex - 1);
        List<StoredUser> users = jdbc.sql("select " + COLUMNS + where + " order by created_at, id limit ? offset ?")
                .params(params).query(Users::map).list();
        return new UserPage(total, users);
    }

    private static StoredUser map(ResultSet rs, int row) throws SQLException {
        return new StoredUser(rs.getString(1), rs.getString(2), (ObjectNode) JSON.readTree(rs.getString(3)),
                rs.getLong(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
    }
}
