package dev.scimflow.ssf;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.scimflow.store.TenantTokens;

/** The tenants' SCIM tokens, read from the user store: a receiver authenticates with its tenant's token. */
@Configuration(proxyBeanMethods = false)
class TenantTokenConfiguration {

    @Bean
    TenantTokens tenantTokens(DataSource dataSource) {
        return new TenantTokens(dataSource);
    }
}
