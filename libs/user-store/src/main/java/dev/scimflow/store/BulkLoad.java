package dev.scimflow.store;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.scimflow.scim.RoleAttribute;
import tools.jackson.databind.ObjectWriter;

/**
 * A whole user store written into its empty tables in one transaction: the one place besides the migrations that
 * knows the store's rows, used by {@code scimflow rebuild store}. Rows are sent with binary COPY; the tables' indexes
 * and key constraints are dropped first and built once at the end (building an index from all rows is several times
 * cheaper than maintaining it row by row, and a foreign key checked by one join is far cheaper than a trigger per row),
 * all in the same transaction, so that a failure anywhere, a duplicate key included, leaves the store as empty as it
 * was. The indexes and constraints are read from the catalog, not written here: whatever the migrations made is what
 * is rebuilt. The columns are written here, so {@link #begin} first checks them against the catalog and refuses a
 * schema whose columns or tables it does not know ({@code BulkLoadSchemaTest} keeps the two in step).
 *
 * <p>The statements run on a thread of the load's own, in the order they are given, while the caller goes on: rows
 * are encoded by the callers (the static row methods are safe on any thread) as PostgreSQL takes the rows before them.
 * A load is used from one thread at a time. While the load runs it holds exclusive locks on the tables it fills.
 */
public final class BulkLoad implements AutoCloseable {

    /** A table the load fills: the columns it writes, in the order of its rows, and those it leaves to their defaults. */
    public record Table(String name, List<Column> columns, Set<String> defaulted) {

        public String qualifiedName() {
            return in(UserStoreSchema.SCHEMA);
        }

        /** The table in that schema (a user store made by the same migrations, e.g. one being rebuilt beside the live one). */
        public String in(String schema) {
            return schema + "." + name;
        }

        String copySql(String schema) {
            return "copy " + in(schema) + " (" + columns.stream().map(Column::name).collect(Collectors.joining(", "))
                    + ") from stdin with (format binary)";
        }
    }

    /** A column as the catalog names its type ({@code format_type}). */
    public record Column(String name, String type) {
    }

    /** One encoded row of a table, ready to be sent. */
    public record Row(Table table, byte[] tuple) {
    }

    public static final Table TENANTS = table("tenants", Set.of("created_at"), "id text", "role_attribute text");
    public static final Table USERS = table("users", Set.of(), "tenant_id text", "id text", "user_name text", "external_id text",
            "active boolean", "email_values text[]", "document jsonb", "version bigint", "created_at timestamp with time zone",
            "last_modified timestamp with time zone");
    public static final Table GROUPS = table("groups", Set.of(), "tenant_id text", "id text", "display_name text", "external_id text",
            "document jsonb", "member_count bigint", "version bigint", "created_at timestamp with time zone",
            "last_modified timestamp with time zone");
    public static final Table GROUP_MEMBERS = table("group_members", Set.of(), "tenant_id text", "group_id text", "user_id text");
    /** Groups nested in groups. */
    public static final Table GROUP_MEMBER_GROUPS = table("group_member_groups", Set.of(), "tenant_id text", "group_id text",
            "member_group_id text");
    public static final Table APPLIED_CHANGES = table("applied_changes", Set.of(), "change_id uuid", "tenant_id text",
            "resource_id text", "outcome jsonb", "applied_at timestamp with time zone");

    /** The tables the load fills; every other table of the schema must be one of {@link #NOT_LOADED}. */
    static final List<Table> TABLES = List.of(TENANTS, USERS, GROUPS, GROUP_MEMBERS, GROUP_MEMBER_GROUPS, APPLIED_CHANGES);
    /** The tables COPY fills, whose indexes and key constraints are rebuilt. */
    static final List<Table> COPIED = List.of(USERS, GROUPS, GROUP_MEMBERS, GROUP_MEMBER_GROUPS, APPLIED_CHANGES);

    /**
     * Tables of the schema that a load leaves alone: tokens, OAuth clients with their secrets, the access tokens'
     * signing keys, the trusted issuers and the authorizations and consents of the authorization code grant are credentials
     * that no event carries (operators issue new ones or restore them), the outbox holds facts still to be published (none, for a store built from the published ones), and Flyway's
     * history is the migrations'.
     */
    static final Set<String> NOT_LOADED = Set.of("tenant_tokens", "oauth_clients", "oauth_client_secrets", "oauth_signing_keys",
            "oauth_trusted_issuers", "oauth_authorizations", "oauth_consents", "outbox", "flyway_schema_history");

    /** As {@link Users} and {@link Groups} write documents. */
    private static final ObjectWriter DOCUMENTS = StoredJson.MAPPER.writer();
    private static final byte[] COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] COPY_TRAILER = {(byte) 0xff, (byte) 0xff};
    /** Rows are sent in chunks of about this many bytes; a few chunks may wait for the connection, no more. */
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int CHUNKS_WAITING = 8;

    private final Connection connection;
    private final String schema;
    private final Consumer<String> progress;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "store-load");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore waiting = new Semaphore(CHUNKS_WAITING);
    private final List<String> rebuilt = new ArrayList<>();
    private volatile Throwable failure;
    private Copying copying;
    private final Map<Table, Long> counts = new java.util.HashMap<>();
    private CopyIn copy;
    private boolean committed;
    private boolean closed;

    private BulkLoad(Connection connection, String schema, Consumer<String> progress) {
        this.connection = connection;
        this.schema = schema;
        this.progress = progress;
    }

    /**
     * Opens the load's transaction on a connection of its own: takes the tables, checks that their columns are those this
     * class writes and that they hold no rows, and drops their indexes and key constraints until {@link #commit()}.
     *
     * @throws IllegalStateException when the store is not empty or its schema is not the one this class knows
     */
    public static BulkLoad begin(DataSource dataSource) throws SQLException {
        return begin(dataSource, line -> {
        });
    }

    /** As {@link #begin(DataSource)}, telling {@code progress} what it did and how long it took, a line a step. */
    public static BulkLoad begin(DataSource dataSource, Consumer<String> progress) throws SQLException {
        return begin(dataSource, UserStoreSchema.SCHEMA, progress);
    }

    /** As {@link #begin(DataSource, Consumer)}, into the user store of another schema, made by the same migrations. */
    public static BulkLoad begin(DataSource dataSource, String schema, Consumer<String> progress) throws SQLException {
        Connection connection = dataSource.getConnection();
        BulkLoad load = new BulkLoad(connection, schema, progress);
        try {
            load.run(load::prepare);
            return load;
        } catch (SQLException | RuntimeException e) {
            load.close();
            throw e;
        }
    }

    private void prepare() throws SQLException {
        connection.setAutoCommit(false);
        List<String> drift = schemaDrift(connection, schema);
        if (!drift.isEmpty()) {
            throw new IllegalStateException("the user store's schema is not the one this scimflow knows (a migration this"
                    + " version does not have?): " + String.join("; ", drift));
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table " + COPIED.stream().map(table -> table.in(schema)).collect(Collectors.joining(", "))
                    + " in access exclusive mode");
            try (ResultSet rows = statement.executeQuery(COPIED.stream()
                    .map(table -> "exists (select 1 from " + table.in(schema) + ")").collect(Collectors.joining(" or ", "select ", "")))) {
                rows.next();
                if (rows.getBoolean(1)) {
                    throw new IllegalStateException("the user store is not empty: a load writes only into empty tables");
                }
            }
            for (String drop : dropIndexesAndKeys(statement)) {
                statement.execute(drop);
            }
            // building the indexes at the end sorts every row: give the sorts room (this transaction only)
            statement.execute("set local maintenance_work_mem = '256MB'");
        }
    }

    /**
     * The statements that drop the key constraints and indexes of the copied tables (and foreign keys pointing at them),
     * keeping those that make them again, in the order that works: keys, then indexes, then foreign keys.
     */
    private List<String> dropIndexesAndKeys(Statement statement) throws SQLException {
        String tables = COPIED.stream().map(table -> "'" + table.in(schema) + "'::regclass").collect(Collectors.joining(", "));
        List<String> drops = new ArrayList<>();
        List<String> foreignKeys = new ArrayList<>();
        try (ResultSet constraints = statement.executeQuery("""
                select format('%%I.%%I', n.nspname, r.relname), quote_ident(c.conname), pg_get_constraintdef(c.oid), c.contype
                  from pg_constraint c join pg_class r on r.oid = c.conrelid join pg_namespace n on n.oid = r.relnamespace
                 where c.contype in ('p', 'u', 'x', 'f') and (c.conrelid in (%s) or c.confrelid in (%s))
                 order by c.contype = 'f' desc, c.conname""".formatted(tables, tables))) {
            while (constraints.next()) {
                String table = constraints.getString(1);
                String name = constraints.getString(2);
                drops.add("alter table " + table + " drop constraint " + name);
                String add = "alter table " + table + " add constraint " + name + " " + constraints.getString(3);
                if ("f".equals(constraints.getString(4))) {
                    foreignKeys.add(add);
                } else {
                    rebuilt.add(add);
                }
            }
        }
        try (ResultSet indexes = statement.executeQuery("""
                select format('%%I.%%I', n.nspname, x.relname), pg_get_indexdef(i.indexrelid)
                  from pg_index i join pg_class x on x.oid = i.indexrelid join pg_namespace n on n.oid = x.relnamespace
                 where i.indrelid in (%s)
                   and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid
                                   and c.contype in ('p', 'u', 'x'))
                 order by x.relname""".formatted(tables))) {
            while (indexes.next()) {
                drops.add("drop index " + indexes.getString(1));
                rebuilt.add(indexes.getString(2));
            }
        }
        rebuilt.addAll(foreignKeys);
        return drops;
    }

    /**
     * Inserts the tenants that are missing, with role in the extension as new tenants have it (an existing one keeps its
     * row, its tokens and its settings).
     */
    public void tenants(Collection<String> tenants) {
        tenants(tenants, RoleAttribute.EXTENSION);
    }

    /**
     * Inserts the tenants that are missing, their responses carrying Zulip's role as {@code roleAttribute} says (the
     * events do not record a tenant's choice); an existing tenant keeps its row, its tokens and its own choice.
     */
    public void tenants(Collection<String> tenants, RoleAttribute roleAttribute) {
        if (copying != null) {
            copying.end();
        }
        List<String> ids = List.copyOf(tenants);
        queue(() -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into " + TENANTS.in(schema)
                    + " (id, role_attribute) values (?, ?) on conflict do nothing")) {
                for (String tenant : ids) {
                    insert.setString(1, tenant);
                    insert.setString(2, roleAttribute.label());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /**
     * Adds a row. Rows of any table come in any order; each run of rows of one table is one COPY, sent in chunks as
     * the rows come.
     */
    public void add(Row row) {
        if (copying != null && !copying.table.equals(row.table())) {
            copying.end();
        }
        if (copying == null) {
            copying = new Copying(row.table());
        }
        copying.add(row.tuple());
    }

    /** How many rows were added to the table so far. */
    public long count(Table table) {
        return counts.getOrDefault(table, 0L);
    }

    /** One COPY into a table, its rows sent in chunks. */
    private final class Copying {

        private final Table table;
        private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK_BYTES + 64 * 1024);
        private final long started = System.nanoTime();
        private long rows;

        Copying(Table table) {
            if (!COPIED.contains(table)) {
                throw new IllegalArgumentException(table.name() + " is not loaded by COPY");
            }
            this.table = table;
            queue(() -> {
                copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(table.copySql(schema));
                copy.writeToCopy(COPY_HEADER, 0, COPY_HEADER.length);
            });
        }

        void add(byte[] tuple) {
            chunk.writeBytes(tuple);
            rows++;
            counts.merge(table, 1L, Long::sum);
            if (chunk.size() >= CHUNK_BYTES) {
                send();
            }
        }

        /** Ends the COPY once every row is sent. */
        void end() {
            copying = null;
            chunk.writeBytes(COPY_TRAILER);
            send();
            long sent = rows;
            queue(() -> {
                copy.endCopy();
                copy = null;
                if (sent >= 10_000) {
                    progress.accept("copied " + sent + " rows into " + table.name() + " in " + millisSince(started) + " ms");
                }
            });
        }

        private void send() {
            byte[] bytes = chunk.toByteArray();
            chunk.reset();
            try {
                waiting.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading " + table.name(), e);
            }
            queue(() -> copy.writeToCopy(bytes, 0, bytes.length), waiting::release);
        }
    }

    /**
     * Builds the indexes and constraints again and commits: the store now holds every row given. Throws what went wrong
     * on the way (and then nothing is committed).
     */
    public void commit() throws SQLException {
        if (copying != null) {
            copying.end();
        }
        run(() -> {
            try (Statement statement = connection.createStatement()) {
                for (String definition : rebuilt) {
                    long started = System.nanoTime();
                    statement.execute(definition);
                    progress.accept(millisSince(started) + " ms: " + definition);
                }
            }
            long started = System.nanoTime();
            connection.commit();
            committed = true;
            progress.accept("committed in " + millisSince(started) + " ms");
        });
    }

    /** Rolls back unless committed, and lets the connection go. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Future<?> closing = writer.submit(() -> {
            try {
                if (copy != null && copy.isActive()) {
                    copy.cancelCopy();
                }
                if (!committed && !connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException e) {
                // the connection is closed next whatever happened: an open transaction ends with it
            } finally {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // nothing left to release
                }
            }
        });
        try {
            closing.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // closing is best effort: the server ends the transaction when the connection goes
        } finally {
            writer.shutdownNow();
        }
    }

    // ---- rows ---------------------------------------------------------------------------------------------------

    public static Row user(StoredUser user) {
        return new Row(USERS, new CopyTuple(USERS.columns().size())
                .text(user.tenant()).text(user.id()).text(user.userName()).text(user.externalId()).bool(user.active())
                .textArray(user.emailValues()).jsonb(DOCUMENTS, user.document()).int8(user.version())
                .timestamptz(user.created()).timestamptz(user.lastModified())
                .toByteArray());
    }

    /**
     * A user whose document is already written as JSON, as {@link Users} writes it: {@code length} bytes in UTF-8 at
     * {@code offset} of {@code documentJson}. For a caller that writes the same JSON into another row too.
     */
    public static Row user(StoredUser user, byte[] documentJson, int offset, int length) {
        return new Row(USERS, new CopyTuple(USERS.columns().size())
                .text(user.tenant()).text(user.id()).text(user.userName()).text(user.externalId()).bool(user.active())
                .textArray(user.emailValues()).jsonb(documentJson, offset, length).int8(user.version())
                .timestamptz(user.created()).timestamptz(user.lastModified())
                .toByteArray());
    }

    public static Row group(StoredGroup group) {
        return new Row(GROUPS, new CopyTuple(GROUPS.columns().size())
                .text(group.tenant()).text(group.id()).text(group.displayName()).text(group.externalId())
                .jsonb(DOCUMENTS, group.document()).int8(group.memberCount()).int8(group.version())
                .timestamptz(group.created()).timestamptz(group.lastModified())
                .toByteArray());
    }

    public static Row member(String tenant, String groupId, String userId) {
        return new Row(GROUP_MEMBERS, new CopyTuple(GROUP_MEMBERS.columns().size()).text(tenant).text(groupId).text(userId)
                .toByteArray());
    }

    /** A group nested in a group. */
    public static Row memberGroup(String tenant, String groupId, String memberGroupId) {
        return new Row(GROUP_MEMBER_GROUPS, new CopyTuple(GROUP_MEMBER_GROUPS.columns().size()).text(tenant).text(groupId)
                .text(memberGroupId).toByteArray());
    }

    /** A change recorded as applied, with its outcome as JSON in UTF-8 (what {@link AppliedChanges#outcome} returns). */
    public static Row appliedChange(UUID changeId, String tenant, String resourceId, byte[] outcomeJson, Instant appliedAt) {
        return appliedChange(changeId, tenant, resourceId, outcomeJson, 0, outcomeJson.length, appliedAt);
    }

    /** As {@link #appliedChange(UUID, String, String, byte[], Instant)}, the outcome {@code length} bytes at {@code offset}. */
    public static Row appliedChange(UUID changeId, String tenant, String resourceId, byte[] outcomeJson, int offset, int length,
                                    Instant appliedAt) {
        return new Row(APPLIED_CHANGES, new CopyTuple(APPLIED_CHANGES.columns().size())
                .uuid(changeId).text(tenant).text(resourceId).jsonb(outcomeJson, offset, length).timestamptz(appliedAt)
                .toByteArray());
    }

    /** A change recorded as applied, with its outcome as the writer writes it in JSON. */
    public static Row appliedChange(UUID changeId, String tenant, String resourceId, ObjectWriter json, Object outcome,
                                    Instant appliedAt) {
        return new Row(APPLIED_CHANGES, new CopyTuple(APPLIED_CHANGES.columns().size())
                .uuid(changeId).text(tenant).text(resourceId).jsonb(json, outcome).timestamptz(appliedAt)
                .toByteArray());
    }

    // ---- the schema it knows --------------------------------------------------------------------------------------

    /**
     * How the schema differs from what this class writes: a table or column it does not know, a column it writes that is
     * missing or of another type, a column it leaves to a default that has none. Empty when they agree.
     */
    static List<String> schemaDrift(Connection connection) throws SQLException {
        return schemaDrift(connection, UserStoreSchema.SCHEMA);
    }

    static List<String> schemaDrift(Connection connection, String schema) throws SQLException {
        Map<String, Map<String, String[]>> actual = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                select r.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.atthasdef or not a.attnotnull
                  from pg_class r join pg_namespace n on n.oid = r.relnamespace
                  join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
                 where n.nspname = ? and r.relkind in ('r', 'p')
                 order by r.relname, a.attnum""")) {
            query.setString(1, schema);
            try (ResultSet columns = query.executeQuery()) {
                while (columns.next()) {
                    actual.computeIfAbsent(columns.getString(1), table -> new LinkedHashMap<>())
                            .put(columns.getString(2), new String[]{columns.getString(3), Boolean.toString(columns.getBoolean(4))});
                }
            }
        }
        List<String> drift = new ArrayList<>();
        for (String table : actual.keySet()) {
            if (!NOT_LOADED.contains(table) && TABLES.stream().noneMatch(known -> known.name().equals(table))) {
                drift.add("table " + table + " is not loaded");
            }
        }
        for (Table table : TABLES) {
            Map<String, String[]> columns = actual.getOrDefault(table.name(), Map.of());
            if (columns.isEmpty()) {
                drift.add("table " + table.name() + " is missing");
                continue;
            }
            for (Column column : table.columns()) {
                String[] found = columns.get(column.name());
                if (found == null) {
                    drift.add("column " + table.name() + "." + column.name() + " is missing");
                } else if (!found[0].equals(column.type())) {
                    drift.add("column " + table.name() + "." + column.name() + " is " + found[0] + ", not " + column.type());
                }
            }
            for (Map.Entry<String, String[]> column : columns.entrySet()) {
                boolean written = table.columns().stream().anyMatch(known -> known.name().equals(column.getKey()));
                if (!written && !table.defaulted().contains(column.getKey())) {
                    drift.add("column " + table.name() + "." + column.getKey() + " is not loaded");
                } else if (!written && !Boolean.parseBoolean(column.getValue()[1])) {
                    drift.add("column " + table.name() + "." + column.getKey() + " has no default");
                }
            }
        }
        return drift;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static Table table(String name, Set<String> defaulted, String... columns) {
        return new Table(name, Arrays.stream(columns).map(column -> {
            int space = column.indexOf(' ');
            return new Column(column.substring(0, space), column.substring(space + 1));
        }).toList(), defaulted);
    }

    // ---- the load's thread ------------------------------------------------------------------------------------------

    private interface Step {
        void run() throws Exception;
    }

    private void queue(Step step) {
        queue(step, () -> {
        });
    }

    /** Runs the step after those before it unless one failed; {@code then} runs either way. */
    private void queue(Step step, Runnable then) {
        throwIfFailed();
        writer.execute(() -> {
            try {
                if (failure == null) {
                    step.run();
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                then.run();
            }
        });
    }

    /** Runs the step after those before it and waits for it. */
    private void run(Step step) throws SQLException {
        queue(step);
        try {
            writer.submit(() -> {
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading the user store", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        Throwable failed = failure;
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed != null) {
            throw new LoadFailed(failed);
        }
    }

    /** A statement of the load failed; the transaction is rolled back when the load is closed. */
    public static final class LoadFailed extends RuntimeException {
        LoadFailed(Throwable cause) {
            super("loading the user store failed: " + cause.getMessage(), cause);
        }
    }
}
