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
        migrate(dataSource, SCHEMA);
    }

    /** Brings a user store in another schema up to date: one being rebuilt beside the live one, by the same migrations. */
    public static void migrate(DataSource dataSource, String schema) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .locations(LOCATION)
                .load()
                .migrate();
    }
}
