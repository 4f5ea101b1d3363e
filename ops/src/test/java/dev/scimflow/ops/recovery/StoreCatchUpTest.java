package dev.scimflow.ops.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.LocalPostgres;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.UserStoreSchema;

/**
 * The catch-up of {@code rebuild store --replace} writing into a real PostgreSQL (the one {@code scimflow up} runs) user
 * store in a schema of its own: rounds
 * that end between the events of one change (on different partitions) are refused by the store's keys and succeed once the
 * rest is read, and what one round does to several resources is written whatever order the partitions gave it.
 */
class StoreCatchUpTest {

    private static final String SCHEMA = "scim_catch_up";
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");
    private static DataSource store;
    private static JdbcClient jdbc;

    private static LocalPostgres postgres;

    @BeforeAll
    static void store(@TempDir Path dataDir) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            postgres = new LocalPostgres(new DataDir(dataDir), socket.getLocalPort(), true);
        }
        postgres.start();
        store = postgres.dataSource();
        UserStoreSchema.migrate(store, SCHEMA);
        jdbc = JdbcClient.create(store);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aRoundThatEndsBetweenAChangesEventsIsRefusedAndAppliesOnceTheRestIsRead() throws SQLException {
        String tenant = "partial";
        assertThat(write(user(tenant, "u1", "ann@example.com", EventType.CREATED, 1, T1), user(tenant, "u2", "bob@example.com",
                EventType.CREATED, 1, T1), group(tenant, "g1", "Staff", EventType.CREATED, 1, T1, List.of("u1", "u2")))).isTrue();
        assertThat(jdbc.sql("select member_count from " + SCHEMA + ".groups where tenant_id = ?").param(tenant).query(Long.class).single())
                .isEqualTo(2);

        UUID deletion = UUID.randomUUID();
        ScimEvent userDeleted = event(deletion, tenant, ResourceType.USER, "u1", EventType.DELETED, 2, null, T2, null);
        ScimEvent removedFromGroup = event(deletion, tenant, ResourceType.GROUP, "g1", EventType.MEMBERS_REMOVED, 2, null, T2,
                List.of("u1"));
        assertThat(write(userDeleted)).as("the user's deletion without its removal from the group (another partition)").isFalse();
        assertThat(count(tenant, "users")).as("nothing of the refused round").isEqualTo(2);

        assertThat(write(userDeleted, removedFromGroup)).isTrue();
        assertThat(count(tenant, "users")).isOne();
        assertThat(jdbc.sql("select member_count || ' ' || version || ' ' || last_modified from " + SCHEMA + ".groups where tenant_id = ?")
                .param(tenant).query(String.class).single()).as("one member left, the version and time of the removal")
                .isEqualTo("1 2 2026-12-01 11:00:00+00");
        assertThat(jdbc.sql("select outcome ->> 'status' from " + SCHEMA + ".applied_changes where change_id = ?").param(deletion)
                .query(String.class).single()).as("the change recorded with its own event's outcome").isEqualTo("204");
    }

    @Test
    void aUserNameThatPassesFromOneUserToAnotherInOneRoundIsWrittenWhicheverComesFirst() throws SQLException {
        String tenant = "names";
        assertThat(write(user(tenant, "u1", "ann@example.com", EventType.CREATED, 1, T1),
                user(tenant, "u2", "bob@example.com", EventType.CREATED, 1, T1))).isTrue();

        // u1 takes bob's name, which u2 gave up in an event of another partition, read after
        assertThat(write(user(tenant, "u1", "bob@example.com", EventType.PATCHED, 2, T2),
                user(tenant, "u2", "robert@example.com", EventType.PATCHED, 2, T2))).isTrue();

        assertThat(jdbc.sql("select id || ' ' || user_name || ' ' || version from " + SCHEMA + ".users where tenant_id = ? order by id")
                .param(tenant).query(String.class).list()).containsExactly("u1 bob@example.com 2", "u2 robert@example.com 2");
    }

    @Test
    void aRepeatedEventChangesNothing() throws SQLException {
        String tenant = "again";
        ScimEvent created = user(tenant, "u1", "ann@example.com", EventType.CREATED, 1, T1);
        assertThat(write(created, group(tenant, "g1", "Staff", EventType.CREATED, 1, T1, List.of("u1")))).isTrue();
        String before = jdbc.sql("select u.document::text || u.version || g.member_count from " + SCHEMA + ".users u, " + SCHEMA
                + ".groups g where u.tenant_id = ? and g.tenant_id = u.tenant_id").param(tenant).query(String.class).single();

        assertThat(write(created, group(tenant, "g1", "Staff", EventType.CREATED, 1, T1, List.of("u1")))).isTrue();

        assertThat(jdbc.sql("select u.document::text || u.version || g.member_count from " + SCHEMA + ".users u, " + SCHEMA
                + ".groups g where u.tenant_id = ? and g.tenant_id = u.tenant_id").param(tenant).query(String.class).single())
                .isEqualTo(before);
    }

    /** One round: the events folded and written in one transaction; false when the store refused it (rolled back). */
    private static boolean write(ScimEvent... events) throws SQLException {
        StoreCatchUp round = new StoreCatchUp(SCHEMA, RoleAttribute.EXTENSION);
        for (ScimEvent event : events) {
            round.add(EventCodec.encode(event));
        }
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                round.write(connection);
                connection.commit();
                return true;
            } catch (SQLException refused) {
                connection.rollback();
                return false;
            }
        }
    }

    private static long count(String tenant, String table) {
        return jdbc.sql("select count(*) from " + SCHEMA + "." + table + " where tenant_id = ?").param(tenant).query(Long.class).single();
    }

    private static ScimEvent user(String tenant, String id, String userName, EventType type, long version, Instant at) {
        return event(UUID.randomUUID(), tenant, ResourceType.USER, id, type, version, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s","userName":"%s","active":true,
                 "meta":{"resourceType":"User","created":"%s","lastModified":"%s"}}""".formatted(id, userName, T1, at), at, null);
    }

    private static ScimEvent group(String tenant, String id, String name, EventType type, long version, Instant at, List<String> members) {
        return event(UUID.randomUUID(), tenant, ResourceType.GROUP, id, type, version, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"%s","displayName":"%s",
                 "meta":{"resourceType":"Group","created":"%s","lastModified":"%s"}}""".formatted(id, name, T1, at), at, members);
    }

    private static ScimEvent event(UUID changeId, String tenant, ResourceType type, String id, EventType eventType, long version,
                                   String after, Instant at, List<String> members) {
        return new ScimEvent(UUID.randomUUID(), changeId, tenant, type, id, eventType, version, null,
                after == null ? null : EventCodec.mapper().readTree(after), null, "r", at, at, 1, members);
    }
}
