package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.testing.TestInfrastructure;

/**
 * Who migrates the {@code scim} schema: the worker (Spring Boot's Flyway with the worker's settings), on an empty database
 * and with several instances starting at once; every other service waits at start-up until it is migrated, and gives up
 * naming what is missing. Each test has an empty database of its own.
 */
class UserStoreMigrationsTest {

    /** The worker: its application.yaml's spring.flyway settings, Spring Boot's Flyway, then the store's beans. */
    private static final ApplicationContextRunner WORKER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class, UserStoreAutoConfiguration.class))
            .withPropertyValues("spring.flyway.schemas=scim", "spring.flyway.default-schema=scim",
                    "spring.flyway.locations=classpath:db/userstore", "scimflow.user-store.await-schema=10s");

    /** The ingress (and the events service, for this schema): no Flyway of its own for it. */
    private static final ApplicationContextRunner READER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UserStoreAutoConfiguration.class));

    private static DataSource emptyDatabase() {
        return UserStoreAutoConfigurationTest.dataSource(TestInfrastructure.newDatabase());
    }

    private static List<String> appliedVersions(DataSource dataSource) {
        return JdbcClient.create(dataSource).sql("select version from scim.flyway_schema_history where success and version is not null")
                .query(String.class).list();
    }

    @Test
    void theWorkerStartingAgainstAnEmptyDatabaseMigratesItBeforeItsStoreIsMade() {
        DataSource dataSource = emptyDatabase();
        WORKER.withBean(DataSource.class, () -> dataSource).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Users.class);
            assertThat(UserStoreSchema.pending(dataSource)).isEmpty();
        });
    }

    @Test
    void twoWorkersStartingAtOnceAgainstAnEmptyDatabaseBothStartAndEachMigrationIsAppliedOnce() throws Exception {
        DataSource dataSource = emptyDatabase();
        List<String> shipped = UserStoreSchema.pending(dataSource);
        CountDownLatch bothStarted = new CountDownLatch(2);
        CompletableFuture<?>[] workers = new CompletableFuture<?>[2];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = CompletableFuture.runAsync(() -> WORKER.withBean(DataSource.class, () -> dataSource).run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(Groups.class);
                bothStarted.countDown();
                // each stays up until the other has started too: two instances at once, not one after the other
                assertThat(bothStarted.await(60, TimeUnit.SECONDS)).isTrue();
            }));
        }
        CompletableFuture.allOf(workers).get(90, TimeUnit.SECONDS);
        assertThat(shipped).isNotEmpty();
        assertThat(appliedVersions(dataSource)).hasSize(shipped.size()).doesNotHaveDuplicates();
        assertThat(UserStoreSchema.pending(dataSource)).isEmpty();
    }

    @Test
    void aReaderStartedBeforeTheWorkerWaitsAndStartsOnceTheSchemaIsMigrated() throws Exception {
        DataSource dataSource = emptyDatabase();
        CompletableFuture<List<String>> reader = CompletableFuture.supplyAsync(() -> {
            List<String> pendingWhenStarted = new java.util.ArrayList<>();
            READER.withBean(DataSource.class, () -> dataSource).withPropertyValues("scimflow.user-store.await-schema=60s").run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(TenantTokens.class);
                pendingWhenStarted.addAll(UserStoreSchema.pending(dataSource));
            });
            return pendingWhenStarted;
        });
        // it cannot have started: nothing is migrated yet (and it would give up only after a minute)
        assertThat(reader).isNotDone();

        UserStoreSchema.migrate(dataSource);

        await().atMost(Duration.ofSeconds(30)).until(reader::isDone);
        assertThat(reader.get()).isEmpty();
    }

    @Test
    void aReaderGivesUpAfterItsWaitNamingTheMissingMigrations() {
        DataSource dataSource = emptyDatabase();
        READER.withBean(DataSource.class, () -> dataSource).withPropertyValues("scimflow.user-store.await-schema=1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lacks the migrations 1 user store").hasMessageContaining("provisioning worker migrates it");
        });
        assertThat(UserStoreSchema.pending(dataSource)).as("a reader migrates nothing").startsWith("1 user store");
    }
}
