package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import dev.scimflow.ops.OperatorError;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A streaming replica of the local PostgreSQL ({@link LocalPostgres}), for the ingress's reads. The first start takes a
 * base backup of the running primary the way {@code pg_basebackup} does (the embedded binaries ship only
 * {@code initdb}, {@code pg_ctl} and {@code postgres}): a physical replication slot that keeps the WAL from now on, then
 * {@code pg_backup_start}, a copy of the data directory, {@code pg_backup_stop} and its {@code backup_label}; with
 * {@code standby.signal} and {@code primary_conninfo} (as the role {@value #ROLE}) it then streams the rest from the
 * primary. Later starts reuse the copy while the slot is there, so a replica that was killed catches up from where it
 * was. {@code applyDelay} holds it back on purpose ({@code recovery_min_apply_delay}), to show the ingress's
 * read-your-writes.
 */
public final class LocalReplica implements StackPart, AutoCloseable {

    public static final String NAME = "postgres-replica";
    static final String ROLE = "scimflow_replication";
    static final String SLOT = "scimflow_replica";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    /** Nothing a standby needs from these (PostgreSQL's own list for base backups), or files of the primary's run. */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    private static final Set<String> LEFT_OUT = Set.of("postmaster.pid", "postmaster.opts", "epg-lock", "backup_label",
            "tablespace_map", "standby.signal", "recovery.signal", "pg_internal.init");

    private final DataDir dataDir;
    private final LocalPostgres primary;
    private final int port;
    private final Duration applyDelay;
    private EmbeddedPostgres server;

    public LocalReplica(DataDir dataDir, LocalPostgres primary, int port, Duration applyDelay) {
        this.dataDir = dataDir;
        this.primary = primary;
        this.port = port;
        this.applyDelay = applyDelay;
    }

    public Path directory() {
        return dataDir.postgresReplica();
    }

    public String jdbcUrl() {
        return LocalPostgres.jdbcUrl(port);
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(LocalPostgres.USER);
        dataSource.setPassword(LocalPostgres.PASSWORD);
        return dataSource;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized ProcessHandle start() throws IOException, SQLException {
        if (server != null) {
            closeQuietly();
        }
        if (!Files.isRegularFile(directory().resolve("PG_VERSION")) || !slotUsable(primary.dataSource())) {
            takeBaseBackup();
        }
        var log = ProcessBuilder.Redirect.appendTo(dataDir.log(NAME).toFile());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory())
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(dataDir.postgresWork().toFile())
                .setPort(port)
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // a standby needs at least the primary's
                .setServerConfig("max_connections", "200")
                // the primary keeps the rows a query here still reads, instead of this query being cancelled
                .setServerConfig("hot_standby_feedback", "on")
                .setServerConfig("recovery_min_apply_delay", applyDelay.toMillis() + "ms")
                .setRegisterShutdownHook(false)
                .setPGStartupWait(STARTUP_WAIT)
                .setOutputRedirector(log)
                .setErrorRedirector(log);
        LocalPostgres.DURABILITY.forEach(builder::setServerConfig);
        LocalPostgres.MEMORY.forEach(builder::setServerConfig);
        server = builder.start();
        return postmaster().orElseThrow(() -> new OperatorError("the PostgreSQL replica started but wrote no "
                + directory().resolve("postmaster.pid")));
    }

    /** The primary's slot for this replica is there and still holds the WAL from where the replica is. */
    private static boolean slotUsable(DataSource primary) throws SQLException {
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement();
                ResultSet slot = statement.executeQuery("select wal_status from pg_replication_slots where slot_name = '" + SLOT + "'")) {
            return slot.next() && !"lost".equals(slot.getString(1));
        }
    }

    /** A new copy of the running primary, set up to follow it (what {@code pg_basebackup -R -S} makes). */
    private void takeBaseBackup() throws IOException, SQLException {
        Path target = directory();
        if (Files.exists(target)) {
            deleteTree(target);
        }
        try (Connection connection = primary.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + ROLE + "') then"
                    + " create role " + ROLE + " with login replication; end if; end $$");
            statement.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '" + SLOT + "'");
            // reserved now, before the backup's checkpoint: the primary keeps every WAL segment the copy will need
            statement.execute("select pg_create_physical_replication_slot('" + SLOT + "', true)");
            statement.execute("select pg_backup_start('scimflow replica', true)");
            copyDataDirectory(dataDir.postgres(), target);
            try (ResultSet stop = statement.executeQuery("select labelfile, spcmapfile from pg_backup_stop(false)")) {
                stop.next();
                Files.writeString(target.resolve("backup_label"), stop.getString(1));
                String tablespaces = stop.getString(2);
                if (tablespaces != null && !tablespaces.isEmpty()) {
                    Files.writeString(target.resolve("tablespace_map"), tablespaces);
                }
            }
        }
        Files.createFile(target.resolve("standby.signal"));
        Files.writeString(target.resolve("postgresql.auto.conf"), "\n# a standby of the local stack's PostgreSQL\n"
                + "primary_conninfo = 'host=127.0.0.1 port=" + primary.port() + " user=" + ROLE
                + " application_name=" + SLOT + "'\n"
                + "primary_slot_name = '" + SLOT + "'\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Copies a running server's data directory; files that vanish meanwhile are skipped (the WAL replay sets all right). */
    private static void copyDataDirectory(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                Path copy = target.resolve(source.relativize(directory).toString());
                Files.createDirectories(copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
                if (directory.getParent() != null && directory.getParent().equals(source)
                        && EMPTIED.contains(directory.getFileName().toString())) {
                    if (directory.getFileName().toString().equals("pg_wal")) {
                        Files.createDirectories(copy.resolve("archive_status"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!LEFT_OUT.contains(file.getFileName().toString())) {
                    try {
                        Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                    } catch (NoSuchFileException vanished) {
                        // a temporary file, dropped relation or the like
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Drops the primary's slot of a replica this stack no longer runs, so that it does not keep WAL for it forever; the
     * next {@code --postgres-replica} takes a new base backup.
     */
    public static void dropSlot(DataSource primary) throws SQLException {
        try (Connection connection = primary.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '"
                    + SLOT + "' and not active");
        }
    }

    /** The running replica's main process, from its pid file. */
    public Optional<ProcessHandle> postmaster() {
        return LocalPostgres.postmasterIn(directory());
    }

    @Override
    public synchronized void stop(ProcessHandle process, Duration grace) {
        closeQuietly();
        if (process.isAlive()) {
            Processes.terminate(process, grace);
        }
    }

    @Override
    public synchronized void close() {
        postmaster().ifPresentOrElse(process -> stop(process, Duration.ofSeconds(5)), this::closeQuietly);
    }

    private void closeQuietly() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }
}
