package dev.scimflow.ops;

import java.nio.file.Path;

import org.postgresql.ds.PGSimpleDataSource;

import picocli.CommandLine.Option;

/**
 * {@code --jdbc-url}, {@code --db-user} and {@code --db-password}: a deployment's database instead of a local stack's,
 * the same for every command that takes one (a mixin of {@code UserStoreTarget} and {@code RecoveryTarget}).
 */
public final class DatabaseOptions {

    public static final String PASSWORD_VARIABLE = "SCIMFLOW_DB_PASSWORD";

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "A deployment's database instead of a local stack, e.g."
            + " jdbc:postgresql://db.internal:5432/scimflow")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "scimflow", description = "Database user with --jdbc-url (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--db-password", description = "Database password with --jdbc-url (default: $" + PASSWORD_VARIABLE + ").")
    String password;

    /** Whether {@code --jdbc-url} was given. */
    public boolean given() {
        return jdbcUrl != null;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    /** {@code --db-password}, else {@value #PASSWORD_VARIABLE}; null when neither is set. */
    public String password() {
        return password != null ? password : System.getenv(PASSWORD_VARIABLE);
    }

    /** Refuses {@code --jdbc-url} together with {@code --data-dir}: which of the two was meant would be a guess. */
    public void refuseTogetherWith(Path dataDir) {
        if (given() && dataDir != null) {
            throw new OperatorError("give either --data-dir or --jdbc-url, not both");
        }
    }

    /** The deployment's database, not yet connected to; {@code --jdbc-url} must be a PostgreSQL JDBC URL. */
    public PGSimpleDataSource dataSource() {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new OperatorError("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        String secret = password();
        if (secret != null) {
            dataSource.setPassword(secret);
        }
        dataSource.setConnectTimeout(10);
        return dataSource;
    }
}
