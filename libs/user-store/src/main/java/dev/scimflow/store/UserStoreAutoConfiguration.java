package dev.scimflow.store;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The user store's tables as beans, for every service that depends on this module, on the service's one
 * {@link DataSource}: the ingress reads them (and records token use), the worker writes them, the events service reads
 * tenants' tokens. A service that needs one of them otherwise declares its own bean of that type, which wins (the
 * ingress's replica reads build their own {@link Users} and {@link Groups} on the replica's pool and are no beans).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnSingleCandidate(DataSource.class)
public class UserStoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Users users(DataSource dataSource) {
        return new Users(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    Groups groups(DataSource dataSource) {
        return new Groups(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    TenantTokens tenantTokens(DataSource dataSource) {
        return new TenantTokens(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    AppliedChanges appliedChanges(DataSource dataSource) {
        return new AppliedChanges(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    Outbox outbox(DataSource dataSource) {
        return new Outbox(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    WalPositions walPositions(DataSource dataSource) {
        return new WalPositions(dataSource);
    }
}
