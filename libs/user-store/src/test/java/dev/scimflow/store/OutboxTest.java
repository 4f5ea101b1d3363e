package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The outbox against a real PostgreSQL: reads past the records in flight, removals, and the relay's session. */
class OutboxTest {

    private UserStoreFixture store;
    private Outbox outbox;
    private JdbcClient jdbc;

    @BeforeEach
    void storeOfItsOwn() {
        store = new UserStoreFixture();
        outbox = new Outbox(store.dataSource);
        jdbc = JdbcClient.create(store.dataSource);
    }

    @Test
    void aReadPassesOverTheRecordsInFlightInTheOrderOfWritingAndARemovalTakesTheGivenRecords() {
        outbox.add(List.of(entry("a"), entry("b"), entry("c")));
        List<Outbox.Entry> all = outbox.pending(Set.of(), 10);
        assertThat(all).extracting(Outbox.Entry::key).containsExactly("a", "b", "c");
        assertThat(all.get(0).payload()).isEqualTo("a".getBytes());
        assertThat(all.get(0).headers()).containsExactly("scim-event-type", "created");

        assertThat(outbox.pending(Set.of(all.get(0).id()), 10)).extracting(Outbox.Entry::key).containsExactly("b", "c");
        assertThat(outbox.pending(Set.of(), 1)).extracting(Outbox.Entry::key).containsExactly("a");

        outbox.remove(List.of(all.get(0).id(), all.get(1).id()));
        assertThat(outbox.pending(Set.of(), 10)).extracting(Outbox.Entry::key).containsExactly("c");
    }

    /**
     * The plans a relay keeps for its prepared statements may be made while the table is empty (after a vacuum), when a
     * sequential scan is the cheapest; a minute of changes later the table holds tens of thousands of removed records.
     * On the relay's session neither its reads nor its removals scan the table.
     */
    @Test
    void onTheRelaysSessionReadsAndRemovalsNeverScanTheWholeTableEvenWithPlansMadeWhileItWasEmpty() throws Exception {
        jdbc.sql("vacuum analyze scim.outbox").update();
        try (Connection session = store.dataSource.getConnection(); Statement statement = session.createStatement()) {
            // a plan kept by a prepared statement, made now, while the table is empty
            statement.execute(Outbox.RELAY_SESSION + "; set plan_cache_mode = force_generic_plan");
            Outbox relayed = new Outbox(new SingleConnectionDataSource(session, true));
            long sequentialScans = scans("seq_scan");
            long indexScans = scans("idx_scan");

            assertThat(relayed.pending(Set.of(), 10)).isEmpty();
            outbox.add(List.of(entry("a"), entry("b"), entry("c")));
            List<Outbox.Entry> waiting = relayed.pending(Set.of(), 10);
            assertThat(waiting).hasSize(3);
            relayed.remove(List.of(waiting.get(0).id()));
            assertThat(relayed.pending(Set.of(waiting.get(1).id()), 10)).extracting(Outbox.Entry::key).containsExactly("c");
            statement.execute("select pg_stat_force_next_flush()");

            await("the session's statistics").atMost(Duration.ofSeconds(10)).until(() -> scans("idx_scan") >= indexScans + 4);
            assertThat(scans("seq_scan")).isEqualTo(sequentialScans);
        }
    }

    private long scans(String column) {
        return jdbc.sql("select coalesce(" + column + ", 0) from pg_stat_user_tables where schemaname = 'scim' and relname = 'outbox'")
                .query(Long.class).single();
    }

    private static Outbox.Entry entry(String key) {
        return new Outbox.Entry(0, "scim.events", key, key.getBytes(), List.of("scim-event-type", "created"));
    }
}
