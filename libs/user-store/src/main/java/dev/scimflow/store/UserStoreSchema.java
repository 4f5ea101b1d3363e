package dev.scimflow.store;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/** The user store's schema, owned by Flyway: its migrations live in {@code db/userstore}. */
public final class UserStoreSchema {

    public static final String SCHEMA = "scim";
    public static final String LOCATION = "classpath:db/userstore";

    private UserStoreSchema() {
    }

    /** Brings the schema up to date; safe to run concurrently from several processes (Flyway takes a lock). */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .locations(LOCATION)
                .load()
                .migrate();
    }
}
