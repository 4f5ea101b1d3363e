package dev.scimflow.ops.tokens;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import dev.scimflow.ops.DatabaseOptions;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.DataDirLock;
import dev.scimflow.ops.stack.Leftovers;
import dev.scimflow.ops.stack.LocalPostgres;
import dev.scimflow.ops.stack.StackFile;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.UserStoreSchema;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which user store an operator command works on: the local stack of a data directory (its running PostgreSQL, or,
 * while the stack is down, PostgreSQL started from the directory for the length of the command), or a deployment's
 * database given by {@code --jdbc-url}.
 */
public final class UserStoreTarget {

    private static final Duration STARTING_STACK_WAIT = Duration.ofSeconds(60);

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The local stack's data directory (default: .scimflow); it may be running or not.")
    Path dataDir;

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    /** The user store; closing it stops whatever was started to reach it. */
    public record UserStore(DataSource dataSource, AutoCloseable cleanup) implements AutoCloseable {

        /** Refuses a tenant the store does not have, naming the command that creates it. */
        public void requireTenant(String tenant) {
            if (!new TenantTokens(dataSource).tenantExists(tenant)) {
                throw new OperatorError("unknown tenant '" + tenant + "' (`scimflow tenant create " + tenant + "` creates it)");
            }
        }

        @Override
        public void close() throws Exception {
            cleanup.close();
        }
    }

    /** The local stack's data directory: {@code --data-dir}, or {@code .scimflow} when it is not given. */
    public Path dataDir() {
        return dataDir != null ? dataDir : Path.of(".scimflow");
    }

    public boolean isDeployment() {
        return database.given();
    }

    public UserStore open(Progress progress) {
        database.refuseTogetherWith(dataDir);
        return database.given() ? deployment() : local(new DataDir(dataDir != null ? dataDir : Path.of(".scimflow")), progress);
    }

    private UserStore deployment() {
        PGSimpleDataSource dataSource = database.dataSource();
        // the services own the schema's migrations in a deployment; the command only checks that it is there
        try (Connection connection = dataSource.getConnection();
                ResultSet found = connection.createStatement().executeQuery("select to_regclass('scim.tenant_tokens')")) {
            if (!found.next() || found.getString(1) == null) {
                throw new OperatorError(database.jdbcUrl() + " has no user store yet (schema scim): start the services once,"
                        + " they create it");
            }
        } catch (SQLException e) {
            throw new OperatorError("cannot use the database at " + database.jdbcUrl() + ": " + e.getMessage(), e);
        }
        return new UserStore(dataSource, () -> {
        });
    }

    private UserStore local(DataDir dir, Progress progress) {
        if (!Files.isDirectory(dir.postgres())) {
            throw new OperatorError("there is no local stack in " + dir.root() + ": run `scimflow up --data-dir "
                    + dir.root() + "` first, or pass --jdbc-url");
        }
        Optional<DataDirLock> lock = DataDirLock.tryAcquire(dir);
        if (lock.isEmpty()) {
            return new UserStore(runningStackDatabase(dir), () -> {
            });
        }
        LocalPostgres postgres = new LocalPostgres(dir, freePort(), true);
        try {
            Leftovers.stop(dir, progress);
            progress.say("the stack in " + dir.root() + " is not running; starting its PostgreSQL for this command");
            postgres.start();
            UserStoreSchema.migrate(postgres.dataSource());
        } catch (Exception e) {
            postgres.close();
            lock.get().close();
            throw new OperatorError("cannot start PostgreSQL from " + dir.postgres() + ": " + e.getMessage()
                    + " (see " + dir.log("postgres") + ")", e);
        }
        return new UserStore(postgres.dataSource(), () -> {
            try {
                postgres.close();
            } finally {
                lock.get().close();
            }
        });
    }

    /** The database of the stack that holds the lock, as soon as it has written where it is. */
    private static DataSource runningStackDatabase(DataDir dir) {
        Instant deadline = Instant.now().plus(STARTING_STACK_WAIT);
        while (true) {
            Optional<String> url = readStackFile(dir).map(StackFile::jdbcUrl);
            if (url.isPresent()) {
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setUrl(url.get());
                dataSource.setUser(LocalPostgres.USER);
                dataSource.setPassword(LocalPostgres.PASSWORD);
                return dataSource;
            }
            if (Instant.now().isAfter(deadline) || !DataDirLock.isHeld(dir)) {
                throw new OperatorError("another scimflow process uses " + dir.root() + " but has not said where its"
                        + " database is; try again when `scimflow up` is ready");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperatorError("interrupted");
            }
        }
    }

    private static Optional<StackFile> readStackFile(DataDir dir) {
        try {
            return StackFile.read(dir);
        } catch (RuntimeException beingWritten) {
            return Optional.empty();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new OperatorError("no free port for a temporary PostgreSQL: " + e.getMessage(), e);
        }
    }
}
