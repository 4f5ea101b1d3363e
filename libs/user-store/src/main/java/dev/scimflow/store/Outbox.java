package dev.scimflow.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records to publish to Kafka, written in the transaction of the changes that produced them (so a fact is never
 * committed without its record, nor published without its commit) and deleted once the broker has acknowledged them.
 * Ids grow in the order records are written; two records about one resource are written in the order their changes
 * committed, because the second change waited for the first's row lock.
 */
public class Outbox {

    /**
     * The settings of a session that relays the outbox: it never scans the table whole, and its removals are committed
     * without waiting for their flush (a lost removal only publishes a record again). The table is a queue whose
     * statistics are always stale, empty after each vacuum and holding tens of thousands of removed records a minute
     * later: a plan made while it looked empty, a sequential scan that a prepared statement then keeps, read every
     * removed record still in the table on every read (most of PostgreSQL's work per change, measured).
     */
    public static final String RELAY_SESSION = "set enable_seqscan = off; set synchronous_commit = off";

    /** Undoes {@link #RELAY_SESSION}, before the session goes back to a pool. */
    public static final String RELAY_SESSION_RESET = "reset enable_seqscan; reset synchronous_commit";

    /**
     * A record to publish.
     *
     * @param id      its position in the outbox (0 for a record not written yet)
     * @param payload the record value
     * @param headers record header names and values, alternating
     */
    public record Entry(long id, String topic, String key, byte[] payload, List<String> headers) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    public Outbox(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.batches = new JdbcTemplate(dataSource);
    }

    /** Writes these records in the order given, as one JDBC batch. */
    public void add(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        batches.batchUpdate("insert into scim.outbox (topic, record_key, payload, headers) values (?, ?, ?, ?)",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement statement, int i) throws SQLException {
                        Entry entry = entries.get(i);
                        statement.setString(1, entry.topic());
                        statement.setString(2, entry.key());
                        statement.setBytes(3, entry.payload());
                        statement.setArray(4, statement.getConnection().createArrayOf("text", entry.headers().toArray()));
                    }

                    @Override
                    public int getBatchSize() {
                        return entries.size();
                    }
                });
    }

    /** The oldest records waiting, other than those with the given ids, in the order they were written. */
    public List<Entry> pending(Collection<Long> exceptIds, int limit) {
        return jdbc.sql("select id, topic, record_key, payload, headers from scim.outbox where id <> all(?::bigint[]) order by id limit ?")
                .params(exceptIds.toArray(Long[]::new), limit)
                .query((rs, n) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                        List.of((String[]) rs.getArray(5).getArray())))
                .list();
    }

    public void remove(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("delete from scim.outbox where id = any(?::bigint[])").param(ids.toArray(Long[]::new)).update();
        }
    }

    /** How many records wait to be published. */
    public long size() {
        return jdbc.sql("select count(*) from scim.outbox").query(Long.class).single();
    }
}
