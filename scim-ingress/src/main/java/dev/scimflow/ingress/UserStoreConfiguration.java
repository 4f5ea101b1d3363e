package dev.scimflow.ingress;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.scimflow.store.AppliedChanges;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.Users;

/** The user store as the ingress reads it. */
@Configuration(proxyBeanMethods = false)
class UserStoreConfiguration {

    @Bean
    Users users(DataSource dataSource) {
        return new Users(dataSource);
    }

    @Bean
    TenantTokens tenantTokens(DataSource dataSource) {
        return new TenantTokens(dataSource);
    }

    @Bean
    AppliedChanges appliedChanges(DataSource dataSource) {
        return new AppliedChanges(dataSource);
    }
}
