package dev.scimflow.store;

import java.util.OptionalLong;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Positions in PostgreSQL's write-ahead log, as numbers of bytes ({@code pg_lsn - '0/0'}), which order the way the
 * positions do: the worker reads the primary's after a commit and reports it with the outcomes, and an ingress compares
 * it with how far a replica has replayed to know whether a read there sees that commit.
 */
public class WalPositions {

    private final JdbcClient jdbc;

    public WalPositions(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * The primary's WAL written so far: read after a commit returned, it is at or past the end of that commit's record
     * (a synchronous commit returns once its record is flushed, and what is flushed is written).
     */
    public long current() {
        return jdbc.sql("select (pg_current_wal_lsn() - '0/0')::bigint").query(Long.class).single();
    }

    /**
     * How far a standby has replayed: every transaction committed before that position is visible to a new query there.
     * Empty when the server is not in recovery (a primary, or a promoted standby), which sees every commit it has.
     */
    public OptionalLong replayed() {
        Long replayed = jdbc.sql("select case when pg_is_in_recovery() then (pg_last_wal_replay_lsn() - '0/0')::bigint end")
                .query((rs, row) -> (Long) rs.getObject(1, Long.class)).list().get(0);
        return replayed == null ? OptionalLong.empty() : OptionalLong.of(replayed);
    }
}
