package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The store's beans as every service gets them, and a service's own bean winning over the auto-configured one. */
class UserStoreAutoConfigurationTest {

    private static final DataSource NOWHERE = new SimpleDriverDataSource(new org.postgresql.Driver(), "jdbc:postgresql://127.0.0.1:1/none");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UserStoreAutoConfiguration.class));

    @Test
    void aServiceWithOneDataSourceGetsEveryTableOfTheStoreOnIt() {
        runner.withBean(DataSource.class, () -> NOWHERE).run(context -> {
            assertThat(context).hasNotFailed();
            for (Class<?> table : new Class<?>[]{Users.class, Groups.class, TenantTokens.class, AppliedChanges.class, Outbox.class,
                    WalPositions.class}) {
                assertThat(context).as(table.getSimpleName()).hasSingleBean(table);
            }
        });
    }

    @Test
    void aServicesOwnBeanWins() {
        Users own = new Users(NOWHERE);
        runner.withBean(DataSource.class, () -> NOWHERE).withBean("ownUsers", Users.class, () -> own)
                .run(context -> assertThat(context.getBean(Users.class)).isSameAs(own));
    }

    @Test
    void withoutADataSourceThereIsNoStore() {
        runner.run(context -> assertThat(context).doesNotHaveBean(Users.class).doesNotHaveBean(TenantTokens.class));
    }

    @Test
    void everyServiceFindsItInTheAutoConfigurationImports() {
        assertThat(getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")).asString(
                        java.nio.charset.StandardCharsets.UTF_8)
                .contains(UserStoreAutoConfiguration.class.getName());
    }
}
