package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.scimflow.audit.chain.ChainVerifier;
import dev.scimflow.events.EventType;
import dev.scimflow.testing.TestInfrastructure;

/**
 * A second audit service with an empty schema, reading scim.events from the start, records the same records as
 * the running one: every field but the row id, the wall-clock time of writing and the place in the chain, which
 * follows arrival order. Its own chains verify.
 */
class RebuildIdentityIT extends RunningAuditService {

    /** What "the same record" means: everything derived from the event, and the hash of it. */
    private static final String CONTENT = """
            select event_id, tenant, user_id, user_name, display_name, action, cause, client_name, token_id,
                   request_id, change_id, changed_at, recorded_at, before::text, after::text, content_hash
              from audit.deactivations where tenant = :tenant order by event_id""";

    @Autowired
    JdbcClient jdbc;

    @Test
    void anEmptySchemaFilledFromScimEventsHoldsIdenticalRecords() throws Exception {
        String tenant = uniqueTenant("rebuild");
        var before = user("r-1", "ada@example.com", true, "Ada");
        before.put("score", 1.50).putArray("emails").addObject().put("value", "ada@example.com");
        publish(event(tenant, "r-1", EventType.PATCHED, before, before.deepCopy().put("active", false)));
        publish(event(tenant, "r-2", EventType.REPLACED, user("r-2", "bob", true, "Bob"), user("r-2", "bob", false, null)));
        publish(event(tenant, "r-3", EventType.DELETED, user("r-3", "cy", true, null), null, "Microsoft Azure AD SCIM",
                Instant.parse("2026-02-01T00:00:00.123456Z")));
        publish(event(tenant, "r-1", EventType.PATCHED, before.deepCopy().put("active", false), before));
        awaitDeactivations(tenant, 4);
        List<Map<String, Object>> recorded = jdbc.sql(CONTENT).param("tenant", tenant).query().listOfRows();

        TestInfrastructure.Database empty = TestInfrastructure.newDatabase();
        try (ConfigurableApplicationContext rebuilt = new SpringApplicationBuilder(AuditServiceApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + empty.jdbcUrl(),
                "--spring.datasource.username=" + empty.username(),
                "--spring.datasource.password=" + empty.password(),
                "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                "--spring.kafka.consumer.group-id=scimflow-audit-rebuild-" + UUID.randomUUID(),
                "--scimflow.audit.operator-token-sha256=" + sha256Hex(OPERATOR_TOKEN))) {
            JdbcClient rebuiltLog = JdbcClient.create(new DriverManagerDataSource(empty.jdbcUrl(), empty.username(), empty.password()));
            await().atMost(PATIENCE).until(() -> rebuiltLog.sql(CONTENT).param("tenant", tenant).query().listOfRows().size() == 4);

            assertThat(rebuiltLog.sql(CONTENT).param("tenant", tenant).query().listOfRows()).isEqualTo(recorded);
            assertThat(rebuilt.getBean(ChainVerifier.class).verify(tenant).intact()).isTrue();
        }
    }
}
