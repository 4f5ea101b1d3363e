package dev.scimflow.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The changes the worker has applied, with their outcomes. A change is recorded in the transaction that applies it,
 * together with its outcome, in one statement for a whole batch; the change id is the primary key, so a second
 * transaction applying the same change at the same time (a zombie worker after a rebalance) fails on it and rolls
 * back instead of applying the change twice. Before applying, a batch asks which of its changes were applied already
 * and answers those with their recorded outcomes.
 */
public class AppliedChanges {

    /** A change applied in this transaction, with its outcome as JSON. */
    public record Applied(UUID changeId, String tenant, String resourceId, String outcomeJson) {
    }

    private final JdbcClient jdbc;

    public AppliedChanges(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The recorded outcomes (JSON) of those of these changes that were applied before, by change id. */
    public Map<UUID, String> outcomes(Collection<UUID> changeIds) {
        Map<UUID, String> outcomes = new HashMap<>();
        if (!changeIds.isEmpty()) {
            jdbc.sql("select change_id, outcome::text from scim.applied_changes where change_id = any(?::uuid[])")
                    .param(changeIds.stream().map(UUID::toString).toArray(String[]::new))
                    .query(rs -> {
                        outcomes.put(rs.getObject(1, UUID.class), rs.getString(2));
                    });
        }
        return outcomes;
    }

    /** Records these changes as applied, with their outcomes, in one statement. */
    public void record(List<Applied> applied) {
        if (applied.isEmpty()) {
            return;
        }
        jdbc.sql("""
                insert into scim.applied_changes (change_id, tenant_id, resource_id, outcome)
                select * from unnest(?::uuid[], ?::text[], ?::text[], ?::jsonb[])""")
                .params(applied.stream().map(a -> a.changeId().toString()).toArray(String[]::new),
                        applied.stream().map(Applied::tenant).toArray(String[]::new),
                        applied.stream().map(Applied::resourceId).toArray(String[]::new),
                        applied.stream().map(Applied::outcomeJson).toArray(String[]::new))
                .update();
    }

    /** The outcome of an applied change, as JSON, if it was applied. */
    public Optional<String> outcome(UUID changeId) {
        return jdbc.sql("select outcome::text from scim.applied_changes where change_id = ?")
                .param(changeId).query(String.class).optional();
    }
}
