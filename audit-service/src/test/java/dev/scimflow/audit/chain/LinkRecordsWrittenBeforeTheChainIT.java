package dev.scimflow.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.scimflow.testing.TestInfrastructure;

/** Records written before the chain existed are linked into their tenants' chains when the schema is migrated. */
class LinkRecordsWrittenBeforeTheChainIT {

    private static Flyway flyway(DataSource dataSource, String target) {
        return Flyway.configure().dataSource(dataSource).schemas("audit").defaultSchema("audit")
                .locations("classpath:db/audit").javaMigrations(new LinkRecordsWrittenBeforeTheChain())
                .target(target).load();
    }

    @Test
    void recordsOfTheFirstSchemaAreChainedPerTenantOldestFirstAndVerify() {
        TestInfrastructure.Database database = TestInfrastructure.newDatabase();
        DataSource dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password());
        JdbcClient jdbc = JdbcClient.create(dataSource);
        flyway(dataSource, "1").migrate();
        for (String[] row : new String[][]{{"acme", "u1"}, {"globex", "g1"}, {"acme", "u2"}}) {
            jdbc.sql("""
                    insert into audit.deactivations (tenant, user_id, user_name, action, cause, event_id, changed_at, before)
                    values (:tenant, :userId, :userId, 'DEACTIVATED', 'PATCH', gen_random_uuid(), now(), '{"active": true, "n": 1.0}')""")
                    .param("tenant", row[0]).param("userId", row[1]).update();
        }

        flyway(dataSource, "latest").migrate();

        assertThat(ChainCheck.verify(dataSource, "acme").intact()).isTrue();
        assertThat(ChainCheck.verify(dataSource, "acme").tenants().get(0).recordsChecked()).isEqualTo(2);
        assertThat(ChainCheck.verify(dataSource, null).tenants()).extracting(ChainReport::tenant, ChainReport::intact)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acme", true), org.assertj.core.groups.Tuple.tuple("globex", true));
        assertThat(jdbc.sql("select user_id from audit.deactivations where tenant = 'acme' order by chain_seq").query(String.class).list())
                .containsExactly("u1", "u2");
        assertThatThrownBy(() -> jdbc.sql("""
                insert into audit.deactivations (tenant, user_id, action, cause, event_id, changed_at, recorded_at)
                values ('acme', 'u3', 'DEACTIVATED', 'PATCH', gen_random_uuid(), now(), now())""").update())
                .as("from now on every record has its link").hasMessageContaining("null value");
    }
}
