package dev.scimflow.store;

import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The changes the worker has applied, with their outcomes. Claiming a change id is an
 * {@code insert ... on conflict do nothing} in the change's own transaction: a second delivery of the same
 * change finds the row (or waits for the transaction that holds it) and is not applied again.
 */
public class AppliedChanges {

    private final JdbcClient jdbc;

    public AppliedChanges(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Claims the change id for this transaction; false when the change was applied before. */
    public boolean claim(UUID changeId, String tenant, String resourceId) {
        return jdbc.sql("""
                        insert into scim.applied_changes (change_id, tenant_id, resource_id, outcome)
                        values (?, ?, ?, '{}'::jsonb) on conflict do nothing""")
                .params(changeId, tenant, resourceId).update() == 1;
    }

    /** Stores the outcome of a claimed change, as JSON. */
    public void recordOutcome(UUID changeId, String outcomeJson) {
        jdbc.sql("update scim.applied_changes set outcome = ?::jsonb where change_id = ?").params(outcomeJson, changeId).update();
    }

    /** The outcome of an applied change, as JSON, if it was applied. */
    public Optional<String> outcome(UUID changeId) {
        return jdbc.sql("select outcome::text from scim.applied_changes where change_id = ?")
                .param(changeId).query(String.class).optional();
    }
}
