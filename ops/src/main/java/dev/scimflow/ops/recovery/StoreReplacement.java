package dev.scimflow.ops.recovery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.UserStoreSchema;

/**
 * {@code scimflow rebuild store --replace}: a user store rebuilt from {@code scim.events} in a schema beside the live one
 * while every service keeps running, caught up with what the worker applied meanwhile, then put in the live one's place
 * in one transaction; the live one is kept, renamed, until {@code scimflow rebuild drop-old}.
 *
 * <p>The switch fences the store's writers for a moment: it takes {@code scim.applied_changes} exclusively (the first
 * table every transaction of the worker reads, so a worker transaction either finished before or has touched nothing
 * yet) and {@code scim.tenants}, {@code scim.tenant_tokens} and the OAuth tables against writes (tokens or clients issued
 * or used meanwhile). With nothing committing, it waits for the outbox to be relayed (every applied fact is then on
 * {@code scim.events}), reads the topic to its end, writes those events into the new store, copies what no event
 * carries (tenants, tokens, OAuth clients, keys and authorizations, the outcomes of changes that failed), compares the two stores' counts, takes the read tables too, and renames both
 * schemas. Statements that waited for the locks find the new tables by name when they go on (PostgreSQL looks a name up
 * again after waiting for a lock on a table that was renamed, and a renamed schema invalidates every cached plan), so
 * the services need no restart. Locks are taken with {@code lock_timeout}: a switch that cannot take them, or whose
 * pause would exceed {@code maxPause}, is rolled back (nothing changed) and tried again after another catch-up round.
 */
final class StoreReplacement {

    static final String LIVE = UserStoreSchema.SCHEMA;
    static final String REBUILD = LIVE + "_rebuild";
    static final String OLD_PREFIX = LIVE + "_old_";
    private static final DateTimeFormatter OLD_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    /** Tables whose rows are compared before the switch, live against rebuilt. */
    private static final List<String> COMPARED = List.of("tenants", "tenant_tokens", "oauth_clients", "oauth_client_secrets",
            "oauth_signing_keys", "oauth_trusted_issuers", "oauth_authorizations", "oauth_consents", "users", "groups", "group_members",
            "group_member_groups", "applied_changes");
    /** What no event carries, copied from the live store as it is at the switch; in the order their keys refer to. */
    static final List<String> NOT_DERIVED = List.of("tenant_tokens", "oauth_clients", "oauth_client_secrets", "oauth_signing_keys",
            "oauth_trusted_issuers", "oauth_authorizations", "oauth_consents");
    /**
     * The rest of the store: rebuilt from the events (tenants and the failed changes' outcomes are also copied, the outbox's
     * sequence goes on). Every table of the store is in one of the two lists; a test holds the migrations to that.
     */
    static final List<String> DERIVED = List.of("tenants", "users", "groups", "group_members", "group_member_groups", "applied_changes",
            "outbox");
    /** A catch-up round this small is followed by the switch. */
    private static final long SMALL_ROUND = 2_000;
    private static final int ROUNDS = 8;
    private static final int SWITCH_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final RoleAttribute roleAttribute;
    private final Duration lockTimeout;
    private final Duration maxPause;
    private final boolean acceptDifferences;
    private final Progress progress;
    private Map<TopicPartition, Long> positions;
    private Instant copiedOutcomesAt;

    /** What the switch did. */
    record Switched(String oldSchema, long caughtUp, long pausedMillis, Map<String, long[]> counts) {
    }

    StoreReplacement(DataSource dataSource, KafkaConsumer<byte[], byte[]> reader, RoleAttribute roleAttribute, Duration lockTimeout,
                     Duration maxPause, boolean acceptDifferences, Progress progress) {
        this.dataSource = dataSource;
        this.reader = reader;
        this.roleAttribute = roleAttribute;
        this.lockTimeout = lockTimeout;
        this.maxPause = maxPause;
        this.acceptDifferences = acceptDifferences;
        this.progress = progress;
    }

    /** Makes an empty user store beside the live one, by the same migrations; one left by an interrupted run is dropped. */
    void prepare() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!exists(connection, LIVE)) {
                throw new OperatorError("there is no user store (schema " + LIVE + ") to replace: rebuild without --replace");
            }
            if (exists(connection, REBUILD)) {
                progress.say("dropping schema " + REBUILD + ", left by a rebuild that did not finish");
                statement.execute("drop schema " + REBUILD + " cascade");
            }
            statement.execute("create schema " + REBUILD);
        }
        UserStoreSchema.migrate(dataSource, REBUILD);
        try (Connection connection = dataSource.getConnection()) {
            List<String> live = migrations(connection, LIVE);
            List<String> rebuilt = migrations(connection, REBUILD);
            if (!live.equals(rebuilt)) {
                throw new OperatorError("the live user store has migrations " + live + ", this scimflow makes " + rebuilt
                        + ": run the rebuild with the scimflow of the running services");
            }
        }
    }

    /** After the bulk load up to these positions: the owner and privileges of the live store, then catch-up rounds. */
    void loaded(Map<TopicPartition, Long> loadedUpTo) throws SQLException {
        positions = new HashMap<>(loadedUpTo);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            StorePrivileges.copy(connection, LIVE, REBUILD);
            copiedOutcomesAt = Instant.now();
            int copied = copyFailedOutcomes(connection, null);
            connection.commit();
            progress.say("took over the live store's owner and privileges; copied " + copied + " outcomes of changes that left no event");
        }
        for (int round = 1; round <= ROUNDS; round++) {
            long caughtUp = catchUpRound();
            if (caughtUp >= 0 && caughtUp < SMALL_ROUND) {
                return;
            }
        }
    }

    /** Reads from the positions to the topic's end now and writes it in a transaction of its own; -1 when it was refused. */
    private long catchUpRound() throws SQLException {
        Map<TopicPartition, Long> ends = KafkaClients.ends(reader, Topics.EVENTS);
        StoreCatchUp round = new StoreCatchUp(REBUILD, roleAttribute);
        long started = System.nanoTime();
        KafkaClients.readBetween(reader, positions, ends, record -> round.add(record.value()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                round.write(connection);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                progress.say("catching up: " + round.events() + " events wait for the rest of their changes (" + e.getMessage()
                        + "); reading them again with more");
                return -1;
            }
        }
        positions = new HashMap<>(ends);
        progress.say("caught up with " + round.events() + " events applied since, in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return round.events();
    }

    /** Fences the writers, catches up the last events, verifies and renames; tries again when the fence cannot be had. */
    Switched switchOver() throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                return trySwitch();
            } catch (Retry retry) {
                if (attempt == SWITCH_ATTEMPTS) {
                    throw new OperatorError(
                            "could not switch to the rebuilt store in " + SWITCH_ATTEMPTS + " attempts (" + retry.getMessage()
                                    + "); the live store is unchanged and schema " + REBUILD + " is left for the next run");
                }
                progress.say("switch attempt " + attempt + " rolled back (" + retry.getMessage() + "): nothing changed; catching up"
                        + " and trying again");
                catchUpRound();
            }
        }
    }

    private Switched trySwitch() throws SQLException {
        String old = OLD_PREFIX + oldSuffix();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("set local lock_timeout = " + lockTimeout.toMillis());
                long fenced = System.nanoTime();
                lock(statement, "lock table " + LIVE + ".applied_changes in access exclusive mode");
                lock(statement,
                        "lock table " + LIVE + ".tenants, " + String.join(", ", NOT_DERIVED.stream().map(table -> LIVE + "." + table)
                                .toList()) + " in exclusive mode");
                progress.say("writes to the user store paused; waiting for the outbox to be relayed");
                awaitOutboxRelayed(statement, fenced);
                Map<TopicPartition, Long> ends = KafkaClients.ends(reader, Topics.EVENTS);
                StoreCatchUp last = new StoreCatchUp(REBUILD, roleAttribute);
                KafkaClients.readBetween(reader, positions, ends, record -> last.add(record.value()));
                last.write(connection);
                copyNotDerived(connection);
                Map<String, long[]> counts = counts(connection);
                List<String> differ = counts.entrySet().stream().filter(count -> count.getValue()[0] != count.getValue()[1])
                        .map(count -> count.getKey() + " " + count.getValue()[0] + " live, " + count.getValue()[1] + " rebuilt").toList();
                if (!differ.isEmpty() && !acceptDifferences) {
                    connection.rollback();
                    throw new OperatorError("the rebuilt store differs from the live one (" + String.join("; ", differ) + "): nothing"
                            + " was switched. If the live store is what is damaged, run again with --accept-differences");
                }
                if (elapsed(fenced).compareTo(maxPause) > 0) {
                    throw new Retry("the pause reached " + elapsed(fenced).toMillis() + " ms, over --max-pause");
                }
                // readers too, so that no read sees half of each store; then the names change hands
                lock(statement, "lock table " + LIVE + ".users, " + LIVE + ".groups, " + LIVE + ".group_members, " + LIVE
                        + ".group_member_groups, " + LIVE + ".outbox in access exclusive mode");
                statement.execute("alter schema " + LIVE + " rename to " + old);
                statement.execute("alter schema " + REBUILD + " rename to " + LIVE);
                connection.commit();
                positions = ends;
                return new Switched(old, last.events(), elapsed(fenced).toMillis(), counts);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void lock(Statement statement, String sql) throws SQLException {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState())) {
                throw new Retry("a service held the tables longer than --lock-timeout");
            }
            throw e;
        }
    }

    /** With the worker fenced, the relay publishes what it committed and deletes it from the outbox. */
    private void awaitOutboxRelayed(Statement statement, long fenced) throws SQLException {
        while (true) {
            try (ResultSet rows = statement.executeQuery("select count(*) from " + LIVE + ".outbox")) {
                rows.next();
                if (rows.getLong(1) == 0) {
                    return;
                }
            }
            if (elapsed(fenced).compareTo(maxPause) > 0) {
                throw new Retry("the outbox was not relayed within --max-pause");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperatorError("interrupted while waiting for the outbox");
            }
        }
    }

    /**
     * What no event carries, as the live store has it: tenants (their settings and creation times), their tokens, OAuth
     * clients, secrets, signing keys, trusted issuers, authorizations (codes, refresh tokens) and consents, and the
     * outcomes of applied changes that left no event (those that failed), applied since the copy before the catch-up.
     * The outbox sequence goes on from the live one's.
     */
    private void copyNotDerived(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("insert into " + REBUILD + ".tenants (id, created_at, role_attribute) select id, created_at, role_attribute"
                    + " from " + LIVE + ".tenants on conflict (id) do update set created_at = excluded.created_at,"
                    + " role_attribute = excluded.role_attribute");
            for (String table : NOT_DERIVED) {
                String columns = columns(connection, table);
                statement.execute("insert into " + REBUILD + "." + table + " (" + columns + ") select " + columns + " from " + LIVE
                        + "." + table);
            }
            try (ResultSet sequences = statement.executeQuery("select pg_get_serial_sequence('" + LIVE + ".outbox', 'id'),"
                    + " pg_get_serial_sequence('" + REBUILD + ".outbox', 'id')")) {
                sequences.next();
                String live = sequences.getString(1);
                String rebuilt = sequences.getString(2);
                sequences.close();
                statement.execute("select setval('" + rebuilt + "', last_value, is_called) from " + live);
            }
        }
        // a worker transaction runs for a poll (well under a minute): one that started before the first copy is long over
        copyFailedOutcomes(connection, copiedOutcomesAt.minus(Duration.ofMinutes(5)));
    }

    private static int copyFailedOutcomes(Connection connection, Instant since) throws SQLException {
        String columns = columns(connection, "applied_changes");
        try (PreparedStatement copy = connection.prepareStatement("insert into " + REBUILD + ".applied_changes (" + columns + ") select "
                + columns + " from " + LIVE + ".applied_changes l where (?::timestamptz is null or"
                + " l.applied_at >= ?) and not exists (select 1 from " + REBUILD + ".applied_changes r where r.change_id = l.change_id)")) {
            Timestamp from = since == null ? null : Timestamp.from(since);
            copy.setTimestamp(1, from);
            copy.setTimestamp(2, from);
            return copy.executeUpdate();
        }
    }

    /** Rows of each table, live then rebuilt. */
    private static Map<String, long[]> counts(Connection connection) throws SQLException {
        Map<String, long[]> counts = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            for (String table : COMPARED) {
                try (ResultSet rows = statement
                        .executeQuery("select (select count(*) from " + LIVE + "." + table + "), (select count(*) from "
                                + REBUILD + "." + table + ")")) {
                    rows.next();
                    counts.put(table, new long[]{rows.getLong(1), rows.getLong(2)});
                }
            }
        }
        return counts;
    }

    /** The columns of a table of the rebuilt store, as a list for SQL (the same migrations made both). */
    private static String columns(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("select quote_ident(column_name) from information_schema.columns"
                + " where table_schema = ? and table_name = ? order by ordinal_position")) {
            query.setString(1, REBUILD);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return String.join(", ", columns);
    }

    /** When a replaced schema was replaced, in its name: UTC, to the second. */
    static String oldSuffix() {
        return OLD_SUFFIX.format(Instant.now());
    }

    static boolean exists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select 1 from pg_namespace where nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static List<String> migrations(Connection connection, String schema) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select version from " + schema + ".flyway_schema_history where success"
                        + " and version is not null order by installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static Duration elapsed(long since) {
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** The switch was rolled back before it changed anything; it can be tried again. */
    private static final class Retry extends RuntimeException {
        Retry(String reason) {
            super(reason);
        }
    }
}
