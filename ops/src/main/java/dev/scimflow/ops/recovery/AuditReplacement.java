package dev.scimflow.ops.recovery;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;

/**
 * {@code scimflow rebuild audit --replace}: the audit log rebuilt by the audit service itself, run by the command in a
 * database of its own (its SQL names schema {@code audit}, so a second one cannot live in the same database), copied
 * into schema {@code audit_rebuild} beside the live log, and put in its place in one transaction while the live audit
 * service keeps running; the live log is kept as {@code audit_old_<time>}.
 *
 * <p>The rebuilding service goes on recording what arrives until the switch, so nothing is left to catch up but what
 * it recorded since the bulk copy. The switch takes {@code audit.chain_heads} exclusively (the first table every
 * recording transaction of the live service takes, and retention too), so no record commits meanwhile; the operator
 * sessions and the request log against writes; waits until the rebuilding service has read {@code scim.events} to its
 * end, copies the records it made since, the chain heads and checkpoints, and what no event carries (the request log,
 * operator sessions) from the live log; checks that every record of the live log (by event id) is in the rebuilt one;
 * then renames the schemas. The live service's statements find the new tables by name; a record it reads again later
 * is skipped by its event id, and its chain continues from the rebuilt heads.
 */
final class AuditReplacement {

    static final String LIVE = "audit";
    static final String REBUILD = "audit_rebuild";
    static final String OLD_PREFIX = "audit_old_";
    private static final List<String> NOT_DERIVED = List.of("operator_sessions", "scim_requests");

    private final DataSource live;
    private final DataSource rebuilt;
    private final Duration lockTimeout;
    private final Duration maxPause;
    private final boolean acceptDifferences;
    private final Progress progress;
    private long copiedUpTo;

    record Switched(String oldSchema, long pausedMillis, long liveRecords, long rebuiltRecords) {
    }

    AuditReplacement(DataSource live, DataSource rebuilt, Duration lockTimeout, Duration maxPause, boolean acceptDifferences,
                     Progress progress) {
        this.live = live;
        this.rebuilt = rebuilt;
        this.lockTimeout = lockTimeout;
        this.maxPause = maxPause;
        this.acceptDifferences = acceptDifferences;
        this.progress = progress;
    }

    /**
     * Makes schema {@code audit_rebuild} beside the live log with the live tables' columns, defaults, keys and indexes (by
     * their own names, read from the catalog), sequences of its own, the live log's Flyway history, owner and privileges.
     */
    void prepare() throws SQLException {
        try (Connection connection = live.getConnection(); Statement statement = connection.createStatement()) {
            if (!StoreReplacement.exists(connection, LIVE)) {
                throw new OperatorError("there is no audit log (schema " + LIVE + ") to replace: rebuild without --replace");
            }
            List<String> liveHistory = migrations(connection);
            try (Connection other = rebuilt.getConnection()) {
                List<String> rebuiltHistory = migrations(other);
                if (!liveHistory.equals(rebuiltHistory)) {
                    throw new OperatorError("the live audit log has migrations " + liveHistory + ", the audit service run for the"
                            + " rebuild made " + rebuiltHistory + ": run it with the audit service's jar of the live one (--audit-jar)");
                }
            }
            connection.setAutoCommit(false);
            if (StoreReplacement.exists(connection, REBUILD)) {
                progress.say("dropping schema " + REBUILD + ", left by a rebuild that did not finish");
                statement.execute("drop schema " + REBUILD + " cascade");
            }
            statement.execute("create schema " + REBUILD);
            List<String> ddl = new ArrayList<>();
            for (String table : tables(connection)) {
                ddl.add("create table " + REBUILD + "." + table + " (like " + LIVE + "." + table
                        + " including defaults including constraints including storage including comments)");
            }
            query(connection,
                    """
                            select format('create sequence %%I.%%I owned by %%I.%%I.%%I', '%2$s', c.relname || '_' || a.attname || '_seq',
                                          '%2$s', c.relname, a.attname),
                                   format('alter table %%I.%%I alter column %%I set default nextval(%%L)', '%2$s', c.relname, a.attname,
                                          '%2$s.' || c.relname || '_' || a.attname || '_seq')
                              from pg_attrdef d join pg_class c on c.oid = d.adrelid join pg_namespace n on n.oid = c.relnamespace
                              join pg_attribute a on a.attrelid = c.oid and a.attnum = d.adnum
                             where n.nspname = '%1$s' and pg_get_expr(d.adbin, d.adrelid) like 'nextval(%%'
                            union all
                            select format('alter table %%I.%%I add constraint %%I %%s', '%2$s', r.relname, c.conname, pg_get_constraintdef(c.oid)), null
                              from pg_constraint c join pg_class r on r.oid = c.conrelid join pg_namespace n on n.oid = r.relnamespace
                             where n.nspname = '%1$s' and c.contype in ('p', 'u', 'x')
                            union all
                            select replace(pg_get_indexdef(i.indexrelid), ' ON %1$s.', ' ON %2$s.'), null
                              from pg_index i join pg_class x on x.oid = i.indexrelid join pg_namespace n on n.oid = x.relnamespace
                             where n.nspname = '%1$s'
                               and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))
                            """
                            .formatted(LIVE, REBUILD),
                    ddl);
            ddl.add("insert into " + REBUILD + ".flyway_schema_history select * from " + LIVE + ".flyway_schema_history");
            for (String sql : ddl) {
                statement.execute(sql);
            }
            StorePrivileges.copy(connection, LIVE, REBUILD);
            connection.commit();
        }
    }

    /** Copies what the rebuilding service has recorded so far (in one snapshot of its database). */
    void copyRecorded() throws SQLException {
        long started = System.nanoTime();
        try (Connection to = live.getConnection()) {
            to.setAutoCommit(false);
            long copied = copyRecords(to);
            to.commit();
            progress.say("copied " + copied + " audit records into schema " + REBUILD + " in " + (System.nanoTime() - started) / 1_000_000
                    + " ms");
        }
    }

    /** The records made since the last copy, with the chain heads and checkpoints as they are in the same snapshot. */
    private long copyRecords(Connection to) throws SQLException {
        try (Connection from = rebuilt.getConnection()) {
            from.setAutoCommit(false);
            from.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            long upTo;
            try (Statement statement = from.createStatement();
                    ResultSet max = statement.executeQuery(
                            "select coalesce(max(id), 0) from " + LIVE + ".deactivations")) {
                max.next();
                upTo = max.getLong(1);
            }
            long copied = copy(from, "select * from " + LIVE + ".deactivations where id > " + copiedUpTo + " and id <= " + upTo,
                    to, REBUILD + ".deactivations");
            try (Statement statement = to.createStatement()) {
                statement.execute("delete from " + REBUILD + ".chain_heads");
                statement.execute("delete from " + REBUILD + ".chain_checkpoints");
            }
            copy(from, "select * from " + LIVE + ".chain_heads", to, REBUILD + ".chain_heads");
            copy(from, "select * from " + LIVE + ".chain_checkpoints", to, REBUILD + ".chain_checkpoints");
            from.commit();
            copiedUpTo = upTo;
            return copied;
        }
    }

    /** Fences the live service, waits for the rebuilding one to reach the topic's end, copies the rest, verifies, renames. */
    Switched switchOver(Admin admin, String group, BooleanSupplier rebuilding) throws Exception {
        String old = OLD_PREFIX + StoreReplacement.oldSuffix();
        try (Connection connection = live.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("set local lock_timeout = " + lockTimeout.toMillis());
                long fenced = System.nanoTime();
                statement.execute("lock table " + LIVE + ".chain_heads in access exclusive mode");
                statement.execute("lock table " + LIVE + ".operator_sessions, " + LIVE + ".scim_requests in exclusive mode");
                progress.say("the live audit service's writes paused; waiting for the rebuilding one to read scim.events to its end");
                Map<TopicPartition, Long> ends = GroupLag.ends(admin, Topics.EVENTS);
                while (GroupLag.behind(admin, group, ends) > 0) {
                    if (!rebuilding.getAsBoolean()) {
                        throw new OperatorError("the audit service run for the rebuild stopped; see its log");
                    }
                    if (Duration.ofNanos(System.nanoTime() - fenced).compareTo(maxPause) > 0) {
                        throw new OperatorError("the rebuilding audit service did not reach the end of scim.events within --max-pause;"
                                + " nothing was switched");
                    }
                    Thread.sleep(20);
                }
                copyRecords(connection);
                for (String table : NOT_DERIVED) {
                    statement.execute("insert into " + REBUILD + "." + table + " select * from " + LIVE + "." + table);
                }
                continueSequences(connection);
                long liveRecords = count(statement, "select count(*) from " + LIVE + ".deactivations");
                long rebuiltRecords = count(statement, "select count(*) from " + REBUILD + ".deactivations");
                long missing = count(statement, "select count(*) from " + LIVE + ".deactivations l where not exists (select 1 from "
                        + REBUILD + ".deactivations r where r.event_id = l.event_id)");
                if (missing > 0 && !acceptDifferences) {
                    connection.rollback();
                    throw new OperatorError(missing + " records of the live audit log are not in the rebuilt one (" + liveRecords
                            + " live, " + rebuiltRecords + " rebuilt): nothing was switched. If the live log is what is damaged,"
                            + " run again with --accept-differences");
                }
                statement.execute("lock table " + LIVE + ".deactivations in access exclusive mode");
                statement.execute("alter schema " + LIVE + " rename to " + old);
                statement.execute("alter schema " + REBUILD + " rename to " + LIVE);
                connection.commit();
                return new Switched(old, (System.nanoTime() - fenced) / 1_000_000, liveRecords, rebuiltRecords);
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Each sequence of the rebuilt log goes on after the highest id its table holds, and after the live one's. */
    private static void continueSequences(Connection connection) throws SQLException {
        List<String> statements = new ArrayList<>();
        query(connection, """
                select format('select setval(%%L, greatest((select coalesce(max(%%I), 0) from %%I.%%I),'
                              || ' (select last_value from %%s), 1))',
                              pg_get_serial_sequence(format('%%I.%%I', '%2$s', c.relname), a.attname), a.attname, '%2$s', c.relname,
                              pg_get_serial_sequence(format('%%I.%%I', '%1$s', c.relname), a.attname))
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                 where n.nspname = '%2$s' and pg_get_serial_sequence(format('%%I.%%I', '%2$s', c.relname), a.attname) is not null
                   and pg_get_serial_sequence(format('%%I.%%I', '%1$s', c.relname), a.attname) is not null
                """.formatted(LIVE, REBUILD), statements);
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Streams the rows of a query on one connection into a table on another, in PostgreSQL's binary COPY format. */
    private static long copy(Connection from, String query, Connection to, String table) throws SQLException {
        CopyOut out = from.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (" + query + ") to stdout with (format binary)");
        CopyIn in = to.unwrap(PGConnection.class).getCopyAPI().copyIn("copy " + table + " from stdin with (format binary)");
        try {
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                in.writeToCopy(chunk, 0, chunk.length);
            }
            return in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            throw e;
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        query(connection, "select quote_ident(c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = '" + LIVE + "' and c.relkind in ('r', 'p') order by c.relname", tables);
        return tables;
    }

    private static List<String> migrations(Connection connection) throws SQLException {
        List<String> versions = new ArrayList<>();
        query(connection, "select version from " + LIVE + ".flyway_schema_history where success and version is not null"
                + " order by installed_rank", versions);
        return versions;
    }

    private static void query(Connection connection, String sql, List<String> into) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int column = 1; column <= columns; column++) {
                    if (rows.getString(column) != null) {
                        into.add(rows.getString(column));
                    }
                }
            }
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
