package dev.scimflow.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * The user store's schema, owned by Flyway: its migrations live in {@code db/userstore}.
 *
 * <p>One service migrates it: the provisioning worker, the store's only writer (its {@code spring.flyway} settings; in
 * docker-compose.yml as the role that owns the schema). Every other service that reads it (the ingress, the events
 * service) only {@linkplain #awaitMigrated waits} at start-up until it has every migration its own build ships, so no
 * reader needs the rights to change the schema, and a reader started before the worker (or while a new worker migrates)
 * starts once the schema is there instead of failing on a missing table. The operators' command migrates it as the
 * worker would, with the same migrations, where it builds a store itself ({@code scimflow up} before it starts the
 * services, {@code rebuild store} into its own schema).
 */
public final class UserStoreSchema {

    public static final String SCHEMA = "scim";
    public static final String LOCATION = "classpath:db/userstore";

    private UserStoreSchema() {
    }

    /** Brings the schema up to date; safe to run concurrently from several processes (Flyway takes a lock). */
    public static void migrate(DataSource dataSource) {
        migrate(dataSource, SCHEMA);
    }

    /** Brings a user store in another schema up to date: one being rebuilt beside the live one, by the same migrations. */
    public static void migrate(DataSource dataSource, String schema) {
        flyway(dataSource, schema).migrate();
    }

    /**
     * The migrations this build ships that the schema does not have yet, as "version description", oldest first; empty
     * once it is up to date (a schema migrated further by a newer build is up to date for this one). Reads only.
     */
    public static List<String> pending(DataSource dataSource) {
        return Arrays.stream(flyway(dataSource, SCHEMA).info().pending())
                .map(migration -> migration.getVersion() + " " + migration.getDescription()).toList();
    }

    /**
     * Returns once the schema has every migration this build ships, asking every {@code interval} (and while the
     * database cannot be reached); after {@code timeout} it gives up with an {@link IllegalStateException} naming what
     * is missing.
     */
    public static void awaitMigrated(DataSource dataSource, Duration timeout, Duration interval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String missing;
        while (true) {
            try {
                List<String> pending = pending(dataSource);
                if (pending.isEmpty()) {
                    return;
                }
                missing = "it lacks the migrations " + String.join(", ", pending);
            } catch (RuntimeException e) {
                missing = "it could not be read (" + e.getMessage() + ")";
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("the user store's schema " + SCHEMA + " is not migrated after " + timeout + ": " + missing
                        + "; the provisioning worker migrates it (start it, or raise scimflow.user-store.await-schema)");
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the user store's schema to be migrated", e);
            }
        }
    }

    private static Flyway flyway(DataSource dataSource, String schema) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .locations(LOCATION)
                .load();
    }
}
