package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import dev.scimflow.ops.OperatorError;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL from the embedded binaries, on a data directory that outlives it. {@code pg_ctl} starts the server
 * detached (it is not a child of this JVM), so it is found, watched and stopped through {@code postmaster.pid}.
 * It runs durably: a commit is acknowledged only once its WAL is flushed to disk ({@link #DURABILITY}).
 */
public final class LocalPostgres implements StackPart, AutoCloseable {

    /** Its name as a part of the stack (in {@code stack.json}, {@code scimflow status}). */
    static final String NAME = "postgres";
    public static final String USER = "postgres";
    /** The local server trusts local connections (initdb -A trust); services are given a password all the same. */
    public static final String PASSWORD = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    /**
     * zonky's defaults are for throw-away test databases: {@code -F} (fsync off) on the command line and
     * {@code synchronous_commit=off}, so a commit is reported before its WAL is written, and a crash of PostgreSQL
     * loses transactions the worker has already acknowledged. These settings come after {@code -F} as {@code -c}
     * options, and PostgreSQL takes the last value given for a setting. {@code full_page_writes} keeps pages torn by an
     * OS crash recoverable. Group commit keeps durable commits cheap under load.
     */
    public static final Map<String, String> DURABILITY = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

    /**
     * PostgreSQL's default {@code shared_buffers}, 128 MB, fits any machine and not the user store for long: users,
     * applied changes and the outbox pass it after some 50,000 creates, and from then on a write often has to evict a
     * page that its backend must first write out itself ({@code pg_stat_bgwriter.buffers_backend}). Measured on one
     * stack at 225,000 users (a 644 MB database): 980 creates/s at 64 in flight with 0.50 ms of PostgreSQL CPU each at
     * 128 MB, then 1,222 and 1,346/s with 0.35 and 0.38 ms at 512 MB (docs/BENCHMARK.md). 512 MB is a quarter of a small
     * machine's memory, PostgreSQL's own rule of thumb; the pages are only taken as they are used.
     */
    public static final Map<String, String> MEMORY = Map.of("shared_buffers", "512MB");

    /**
     * The major version of the embedded binaries (the {@code postgres-binaries.version} of the build), the one
     * {@code docker-compose.yml} and the tests' containers run too. A data directory made by another major version
     * cannot be opened by these binaries.
     */
    public static final int MAJOR_VERSION = 16;

    private final DataDir dataDir;
    private final int port;
    private final boolean registerShutdownHook;
    private EmbeddedPostgres server;

    /**
     * @param registerShutdownHook whether the server stops by itself when this JVM exits: yes for a short command,
     *                             no for {@code scimflow up}, which stops the parts in its own order
     */
    public LocalPostgres(DataDir dataDir, int port, boolean registerShutdownHook) {
        this.dataDir = dataDir;
        this.port = port;
        this.registerShutdownHook = registerShutdownHook;
    }

    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    public int port() {
        return port;
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized ProcessHandle start() throws IOException {
        if (server != null) {
            // a restart after the server died: the old instance still holds zonky's lock on the data directory
            closeQuietly();
        }
        refuseAnotherMajorVersion(dataDir);
        Files.createDirectories(dataDir.postgresWork());
        Files.createDirectories(dataDir.logs());
        var log = java.lang.ProcessBuilder.Redirect.appendTo(dataDir.log("postgres").toFile());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.postgres())
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(dataDir.postgresWork().toFile())
                .setPort(port)
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setRegisterShutdownHook(registerShutdownHook)
                .setPGStartupWait(STARTUP_WAIT)
                .setOutputRedirector(log)
                .setErrorRedirector(log);
        DURABILITY.forEach(builder::setServerConfig);
        MEMORY.forEach(builder::setServerConfig);
        server = builder.start();
        return postmaster().orElseThrow(() -> new OperatorError("PostgreSQL started but wrote no "
                + dataDir.postgres().resolve("postmaster.pid")));
    }

    /** A data directory made by another major version would fail deep in {@code pg_ctl}; say so plainly instead. */
    static void refuseAnotherMajorVersion(DataDir dataDir) throws IOException {
        Path version = dataDir.postgres().resolve("PG_VERSION");
        if (!Files.isRegularFile(version)) {
            return;
        }
        String made = Files.readString(version).trim();
        if (!made.equals(Integer.toString(MAJOR_VERSION))) {
            throw new OperatorError("the database in " + dataDir.postgres() + " was made by PostgreSQL " + made
                    + ", and this scimflow runs PostgreSQL " + MAJOR_VERSION + ", which cannot open it; start the"
                    + " local stack on a new --data-dir (the old one is left as it is; pg_upgrade of PostgreSQL "
                    + MAJOR_VERSION + " can convert it)");
        }
    }

    /** The running server's main process, from its pid file. */
    public java.util.Optional<ProcessHandle> postmaster() {
        return postmasterOf(dataDir);
    }

    static java.util.Optional<ProcessHandle> postmasterOf(DataDir dataDir) {
        return postmasterIn(dataDir.postgres());
    }

    /** The main process of the server whose data directory this is (the primary's or a replica's), while it runs. */
    static java.util.Optional<ProcessHandle> postmasterIn(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return java.util.Optional.empty();
            }
            String firstLine = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(firstLine)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** {@code pg_ctl stop -m fast}, which waits up to 5 s; a server still running after that is ended. */
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
