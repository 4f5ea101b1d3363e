package dev.scimflow.store;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records to publish to Kafka, written in the transaction of the change that produced them (so a fact is
 * never committed without its record, nor published without its commit) and deleted once the broker has
 * acknowledged them.
 */
public class Outbox {

    /** One record waiting to be published. */
    public record Entry(long id, String topic, String key, String payload) {
    }

    private final JdbcClient jdbc;

    public Outbox(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public void add(String topic, String key, String payloadJson) {
        jdbc.sql("insert into scim.outbox (topic, record_key, payload) values (?, ?, ?::jsonb)")
                .params(topic, key, payloadJson).update();
    }

    /**
     * The oldest pending entries, in the order they were written. Relays take turns (a transaction-scoped
     * advisory lock): two relays publishing at once could reorder the facts of one resource.
     */
    public List<Entry> lockPending(int limit) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('scim.outbox'))").query((rs, n) -> 1).list();
        return jdbc.sql("select id, topic, record_key, payload::text from scim.outbox order by id limit ?")
                .param(limit)
                .query((rs, n) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    public void remove(List<Entry> entries) {
        if (!entries.isEmpty()) {
            jdbc.sql("delete from scim.outbox where id = any(?)")
                    .param(entries.stream().map(Entry::id).toArray(Long[]::new)).update();
        }
    }
}
