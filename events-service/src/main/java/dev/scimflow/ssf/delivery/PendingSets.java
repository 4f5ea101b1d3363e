package dev.scimflow.ssf.delivery;

import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SETs waiting for their receiver, in order: for a poll stream each SET handed out and not acknowledged yet, for every
 * stream the SETs that do not come from {@code scim.events} (verification). Kept as signed, so a redelivery is the same
 * token with the same {@code jti}.
 */
@Repository
public class PendingSets {

    /** One waiting SET. */
    public record PendingSet(String jti, String jwt) {
    }

    private final JdbcClient jdbc;

    PendingSets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void add(String streamId, String jti, String jwt) {
        jdbc.sql("insert into events.pending_sets (stream_id, jti, set_jwt) values (?, ?, ?) on conflict do nothing")
                .params(streamId, jti, jwt).update();
    }

    public List<PendingSet> oldest(String streamId, int limit) {
        return jdbc.sql("select jti, set_jwt from events.pending_sets where stream_id = ? order by seq limit ?")
                .params(streamId, limit).query((rs, row) -> new PendingSet(rs.getString(1), rs.getString(2))).list();
    }

    /** The SETs among these jtis that are pending, e.g. to record the ones a receiver refused. */
    public List<PendingSet> find(String streamId, Collection<String> jtis) {
        if (jtis.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select jti, set_jwt from events.pending_sets where stream_id = ? and jti = any(?) order by seq")
                .params(streamId, jtis.toArray(String[]::new))
                .query((rs, row) -> new PendingSet(rs.getString(1), rs.getString(2))).list();
    }

    public int remove(String streamId, Collection<String> jtis) {
        if (jtis.isEmpty()) {
            return 0;
        }
        return jdbc.sql("delete from events.pending_sets where stream_id = ? and jti = any(?)")
                .params(streamId, jtis.toArray(String[]::new)).update();
    }

    public void clear(String streamId) {
        jdbc.sql("delete from events.pending_sets where stream_id = ?").param(streamId).update();
    }
}
