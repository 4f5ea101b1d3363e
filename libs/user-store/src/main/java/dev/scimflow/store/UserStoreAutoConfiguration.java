package dev.scimflow.store;

import java.time.Duration;
import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;

/**
 * The user store's tables as beans, for every service that depends on this module, on the service's one
 * {@link DataSource}: the ingress reads them (and records token use), the worker writes them, the events service reads
 * tenants' tokens. A service that needs one of them otherwise declares its own bean of that type, which wins (the
 * ingress's replica reads build their own {@link Users} and {@link Groups} on the replica's pool and are no beans).
 *
 * <p>Before any of them is made, start-up waits until the {@code scim} schema has every migration this build ships
 * ({@code scimflow.user-store.await-schema}, 2 minutes by default, then start-up fails naming what is missing). The
 * worker migrates it (its {@code spring.flyway} settings) before this check, which then passes at once; the other
 * services only wait for it ({@link UserStoreSchema} says why).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnSingleCandidate(DataSource.class)
public class UserStoreAutoConfiguration {

    static final String AWAIT_SCHEMA = "scimflow.user-store.await-schema";

    /** What the store's beans wait for: the schema has every migration of this build. */
    static final class MigratedSchema {
    }

    /** After the service's own Flyway, if it has one (the worker's migrates this schema; the events service's its own). */
    @Bean
    @DependsOnDatabaseInitialization
    MigratedSchema userStoreMigratedSchema(DataSource dataSource, Environment environment) {
        Duration timeout = Binder.get(environment).bind(AWAIT_SCHEMA, Duration.class).orElse(Duration.ofMinutes(2));
        UserStoreSchema.awaitMigrated(dataSource, timeout, Duration.ofMillis(500));
        return new MigratedSchema();
    }

    @Bean
    @DependsOn("userStoreMigratedSchema")
    @ConditionalOnMissingBean
    Users users(DataSource dataSource) {
        return new Users(dataSource);
    }

    @Bean
    @DependsOn("userStoreMigratedSchema")
    @ConditionalOnMissingBean
    Groups groups(DataSource dataSource) {
        return new Groups(dataSource);
    }

    @Bean
    @DependsOn("userStoreMigratedSchema")
    @ConditionalOnMissingBean
    TenantTokens tenantTokens(DataSource dataSource) {
        return new TenantTokens(dataSource);
    }

    @Bean
    @DependsOn("userStoreMigratedSchema")
    @ConditionalOnMissingBean
    AppliedChanges appliedChanges(DataSource dataSource) {
        return new AppliedChanges(dataSource);
    }

    @Bean
    @DependsOn("userStoreMigratedSchema")
    @ConditionalOnMissingBean
    Outbox outbox(DataSource dataSource) {
        return new Outbox(dataSource);
    }

    @Bean
    @DependsOn("userStoreMigratedSchema")
    @ConditionalOnMissingBean
    WalPositions walPositions(DataSource dataSource) {
        return new WalPositions(dataSource);
    }
}
