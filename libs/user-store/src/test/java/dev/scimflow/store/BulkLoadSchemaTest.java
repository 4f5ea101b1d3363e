package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.testing.TestInfrastructure;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bulk loader and the migrations describe the same store: the columns it writes are those the migrations made,
 * with their types, and what it drops to load fast it builds again exactly. A migration that adds a column or a table
 * makes the load refuse until the loader knows it.
 */
class BulkLoadSchemaTest {

    @Test
    void theLoaderWritesEveryColumnOfEveryTableItLoadsWithTheTypesTheMigrationsGaveThem() {
        DataSource store = migratedStore();
        JdbcClient jdbc = JdbcClient.create(store);

        for (BulkLoad.Table table : BulkLoad.TABLES) {
            Map<String, String> migrated = new TreeMap<>();
            jdbc.sql("""
                    select column_name, case when data_type = 'ARRAY' then substr(udt_name, 2) || '[]' else data_type end
                      from information_schema.columns where table_schema = 'scim' and table_name = ?""")
                    .param(table.name()).query((rs, row) -> migrated.put(rs.getString(1), rs.getString(2))).list();
            Map<String, String> loaded = new TreeMap<>(table.columns().stream()
                    .collect(Collectors.toMap(BulkLoad.Column::name, BulkLoad.Column::type)));
            table.defaulted().forEach(column -> loaded.put(column, migrated.get(column)));

            assertThat(loaded).as("the columns of " + table.name()).isEqualTo(migrated);
        }
        List<String> tables = jdbc.sql("select table_name from information_schema.tables where table_schema = 'scim'")
                .query(String.class).list();
        assertThat(tables).as("every table is loaded or left alone on purpose")
                .allMatch(table -> BulkLoad.NOT_LOADED.contains(table)
                        || BulkLoad.TABLES.stream().anyMatch(loaded -> loaded.name().equals(table)));
    }

    @Test
    void aMigrationAddingAColumnOrATableTheLoaderDoesNotKnowMakesTheLoadRefuse() {
        DataSource store = migratedStore();
        JdbcClient.create(store).sql("alter table scim.users add column nickname text").update();
        JdbcClient.create(store).sql("create table scim.user_roles (tenant_id text, user_id text, role text)").update();

        assertThatThrownBy(() -> BulkLoad.begin(store).close()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column users.nickname is not loaded").hasMessageContaining("table user_roles is not loaded");
    }

    @Test
    void aLoadLeavesEveryIndexAndConstraintAsTheMigrationsMadeIt() throws SQLException {
        DataSource store = migratedStore();
        // as a later migration might: more indexes and constraints of every kind, which the load must keep as well
        JdbcClient.create(store).sql("""
                create index users_version_active on scim.users (tenant_id, version) where active;
                alter table scim.groups add constraint groups_version_positive check (version > 0);
                alter table scim.applied_changes add constraint applied_changes_resource unique (tenant_id, resource_id, change_id);
                """).update();
        Map<String, String> before = indexesAndConstraints(store);

        try (BulkLoad load = BulkLoad.begin(store)) {
            load.add(BulkLoad.appliedChange(UUID.randomUUID(), "t", "u1", "{\"status\":201}".getBytes(), Instant.now()));
            load.tenants(List.of("t"));
            load.add(BulkLoad.user(new StoredUser("t", "u1", json("{\"userName\":\"ann\"}"), 1, Instant.EPOCH, Instant.EPOCH)));
            load.add(BulkLoad.group(new StoredGroup("t", "g1", json("{\"displayName\":\"G\"}"), 1, 1, Instant.EPOCH, Instant.EPOCH)));
            load.add(BulkLoad.member("t", "g1", "u1"));
            load.add(BulkLoad.group(new StoredGroup("t", "g2", json("{\"displayName\":\"H\"}"), 0, 1, Instant.EPOCH, Instant.EPOCH)));
            load.add(BulkLoad.memberGroup("t", "g1", "g2"));
            load.commit();
        }

        assertThat(indexesAndConstraints(store)).isEqualTo(before).containsKeys("users_user_name", "users_email_values",
                "users_pkey", "group_members_tenant_id_user_id_fkey", "group_member_groups_member", "users_version_active",
                "groups_version_positive",
                "applied_changes_resource");
        assertThat(JdbcClient.create(store).sql("select count(*) from scim.group_members").query(Long.class).single()).isOne();
        assertThat(JdbcClient.create(store).sql("select count(*) from scim.group_member_groups").query(Long.class).single()).isOne();
    }

    @Test
    void theSchemaDriftCheckFindsNothingOnTheMigratedSchema() throws SQLException {
        try (Connection connection = migratedStore().getConnection()) {
            assertThat(BulkLoad.schemaDrift(connection)).isEmpty();
        }
    }

    /** Every index and constraint of the schema by name, with its definition and table. */
    static Map<String, String> indexesAndConstraints(DataSource store) {
        Map<String, String> all = new TreeMap<>();
        JdbcClient jdbc = JdbcClient.create(store);
        jdbc.sql("select indexname, indexdef from pg_indexes where schemaname = 'scim'")
                .query((rs, row) -> all.put(rs.getString(1), rs.getString(2))).list();
        jdbc.sql("""
                select conname, conrelid::regclass::text || ' ' || contype::text || ' ' || pg_get_constraintdef(oid)
                       || ' ' || condeferrable || convalidated
                  from pg_constraint where connamespace = 'scim'::regnamespace""")
                .query((rs, row) -> all.merge(rs.getString(1), rs.getString(2), (index, constraint) -> index + " / " + constraint)).list();
        return all;
    }

    static DataSource migratedStore() {
        TestInfrastructure.Database database = TestInfrastructure.newDatabase();
        DataSource store = new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(),
                database.password());
        UserStoreSchema.migrate(store);
        return store;
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) UserStoreFixture.JSON.readTree(text);
    }
}
