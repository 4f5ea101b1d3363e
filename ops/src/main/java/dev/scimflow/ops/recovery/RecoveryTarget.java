package dev.scimflow.ops.recovery;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.stack.LocalPostgres;
import dev.scimflow.ops.stack.StackFile;
import picocli.CommandLine.Option;

/**
 * The broker and database a rebuild works on: the running local stack of a data directory, or a
 * deployment's given by {@code --kafka} and {@code --jdbc-url}. Recovery reads Kafka, so unlike the token commands
 * it needs the stack running (or the deployment's addresses).
 */
public final class RecoveryTarget {

    public static final String PASSWORD_VARIABLE = "SCIMFLOW_DB_PASSWORD";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The running local stack's data directory (default: .scimflow).")
    Path dataDir;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "A deployment's Kafka bootstrap servers.")
    String kafka;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for every client this"
            + " command makes (security.protocol, sasl.*, ssl.*, ...; bootstrap.servers stands for --kafka). Values are"
            + " never printed.")
    Path kafkaConfig;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "A deployment's database, e.g."
            + " jdbc:postgresql://db.internal:5432/scimflow")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "scimflow", description = "Database user with --jdbc-url (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", description = "Database password with --jdbc-url (default: $" + PASSWORD_VARIABLE + ").")
    String dbPassword;

    /** The Kafka cluster: its bootstrap servers and the client settings of --kafka-config. */
    public KafkaConnection kafka() {
        return KafkaTarget.connect(kafka, kafkaConfig, dataDir);
    }

    /** The database, which must answer. */
    public DataSource database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        if (jdbcUrl != null) {
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new OperatorError("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
            }
            dataSource.setUrl(jdbcUrl);
            dataSource.setUser(dbUser);
            String password = dbPassword != null ? dbPassword : System.getenv(PASSWORD_VARIABLE);
            if (password != null) {
                dataSource.setPassword(password);
            }
        } else {
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
        if (jdbcUrl != null) {
            String password = dbPassword != null ? dbPassword : System.getenv(PASSWORD_VARIABLE);
            return new String[]{jdbcUrl, dbUser, password == null ? "" : password};
        }
        return new String[]{stack().jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD};
    }

    private StackFile stack() {
        return KafkaTarget.runningStack(dataDir);
    }
}
