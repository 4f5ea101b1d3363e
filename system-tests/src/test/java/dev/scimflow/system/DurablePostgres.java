package dev.scimflow.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.LocalPostgres;
import dev.scimflow.testing.TestInfrastructure;

/**
 * A PostgreSQL server for the system tests, started exactly as {@code scimflow up} starts its own ({@link LocalPostgres}:
 * fsync and synchronous commits on), so that what these tests prove about acknowledged writes holds for the real
 * thing. The shared test fixture's server ({@link TestInfrastructure}) trades durability for speed and is not used here.
 * Each {@link #newDatabase()} is a database of its own on this server.
 */
public final class DurablePostgres implements AutoCloseable {

    private final AtomicInteger databases = new AtomicInteger();
    private final LocalPostgres server;

    public DurablePostgres(String name) {
        DataDir dataDir = new DataDir(Path.of("target", "postgres", name + "-" + ProcessHandle.current().pid()));
        server = new LocalPostgres(dataDir, freePort(), true);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start; see " + dataDir.log("postgres"), e);
        }
    }

    /** A new, empty database on this server. */
    public TestInfrastructure.Database newDatabase() {
        String name = "scimflow_" + databases.incrementAndGet();
        try (Connection connection = server.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return new TestInfrastructure.Database(server.jdbcUrl().replaceFirst("/postgres$", "/" + name), LocalPostgres.USER,
                LocalPostgres.PASSWORD);
    }

    /** What a server says of the settings its durability rests on, e.g. {@code fsync -> on}. */
    public static Map<String, String> settings(JdbcClient jdbc) {
        Map<String, String> settings = new TreeMap<>();
        for (String name : LocalPostgres.DURABILITY.keySet()) {
            settings.put(name, jdbc.sql("show " + name).query(String.class).single());
        }
        return settings;
    }

    @Override
    public void close() {
        server.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
