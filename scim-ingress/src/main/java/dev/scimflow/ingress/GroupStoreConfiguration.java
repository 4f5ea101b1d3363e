package dev.scimflow.ingress;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.scimflow.store.Groups;

/** The user store's group tables, as the ingress reads them. */
@Configuration(proxyBeanMethods = false)
class GroupStoreConfiguration {

    @Bean
    Groups groups(DataSource dataSource) {
        return new Groups(dataSource);
    }
}
