package dev.scimflow.ingress;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

import dev.scimflow.store.UserStoreSchema;
import dev.scimflow.testing.TestInfrastructure;

/**
 * What an ingress under test runs against: a database of its own, its user store migrated first as the worker would
 * migrate it (the ingress never migrates; it waits at start-up for the schema), and the shared broker.
 */
public final class MigratedStore {

    private MigratedStore() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        TestInfrastructure.Database database = TestInfrastructure.newDatabase();
        UserStoreSchema.migrate(new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(),
                database.password()));
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }
}
