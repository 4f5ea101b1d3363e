package dev.scimflow.ops.recovery;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import dev.scimflow.ops.DatabaseOptions;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.stack.LocalPostgres;
import dev.scimflow.ops.stack.StackFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The broker and database a rebuild works on: the running local stack of a data directory, or a
 * deployment's given by {@code --kafka} and {@code --jdbc-url}. Recovery reads Kafka, so unlike the token commands
 * it needs the stack running (or the deployment's addresses).
 */
public final class RecoveryTarget {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The running local stack's data directory (default: .scimflow).")
    Path dataDir;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "A deployment's Kafka bootstrap servers.")
    String kafka;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for every client this"
            + " command makes (security.protocol, sasl.*, ssl.*, ...; bootstrap.servers stands for --kafka). Values are"
            + " never printed.")
    Path kafkaConfig;

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    /** The Kafka cluster: its bootstrap servers and the client settings of --kafka-config. */
    public KafkaConnection kafka() {
        database.refuseTogetherWith(dataDir);
        return KafkaTarget.connect(kafka, kafkaConfig, dataDir);
    }

    /** The database, which must answer. */
    public DataSource database() {
        database.refuseTogetherWith(dataDir);
        PGSimpleDataSource dataSource;
        if (database.given()) {
            dataSource = database.dataSource();
        } else {
            dataSource = new PGSimpleDataSource();
            dataSource.setUrl(stack().jdbcUrl());
            dataSource.setUser(LocalPostgres.USER);
            dataSource.setPassword(LocalPostgres.PASSWORD);
        }
        dataSource.setConnectTimeout(10);
        // the rebuild writes in JDBC batches: one multi-row insert per batch instead of a round trip per row
        dataSource.setReWriteBatchedInserts(true);
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new OperatorError("cannot use the database at " + dataSource.getUrl() + ": " + e.getMessage(), e);
        }
        return dataSource;
    }

    /** The JDBC URL, user and password, for a service process started against the same database. */
    public String[] databaseSettings() {
        database.refuseTogetherWith(dataDir);
        if (database.given()) {
            String password = database.password();
            return new String[]{database.jdbcUrl(), database.user(), password == null ? "" : password};
        }
        return new String[]{stack().jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD};
    }

    private StackFile stack() {
        return KafkaTarget.runningStack(dataDir);
    }
}
