package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.testing.TestInfrastructure;

/** The store's beans as every service gets them, and a service's own bean winning over the auto-configured one. */
class UserStoreAutoConfigurationTest {

    private static DataSource migrated;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UserStoreAutoConfiguration.class));

    @BeforeAll
    static void migratedStore() {
        migrated = dataSource(TestInfrastructure.newDatabase());
        UserStoreSchema.migrate(migrated);
    }

    static DataSource dataSource(TestInfrastructure.Database database) {
        return new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(), database.password());
    }

    @Test
    void aServiceWithOneDataSourceGetsEveryTableOfTheStoreOnIt() {
        runner.withBean(DataSource.class, () -> migrated).run(context -> {
            assertThat(context).hasNotFailed();
            for (Class<?> table : new Class<?>[]{Users.class, Groups.class, TenantTokens.class, AppliedChanges.class, Outbox.class,
                    WalPositions.class}) {
                assertThat(context).as(table.getSimpleName()).hasSingleBean(table);
            }
        });
    }

    @Test
    void aServicesOwnBeanWins() {
        Users own = new Users(migrated);
        runner.withBean(DataSource.class, () -> migrated).withBean("ownUsers", Users.class, () -> own)
                .run(context -> assertThat(context.getBean(Users.class)).isSameAs(own));
    }

    @Test
    void withoutADataSourceThereIsNoStore() {
        runner.run(context -> assertThat(context).doesNotHaveBean(Users.class).doesNotHaveBean(TenantTokens.class));
    }

    @Test
    void everyServiceFindsItInTheAutoConfigurationImports() {
        assertThat(getClass().getResourceAsStream("/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
                .asString(StandardCharsets.UTF_8).contains(UserStoreAutoConfiguration.class.getName());
    }
}
