package dev.scimflow.worker;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.scimflow.store.Groups;

/** The user store's group tables, which the worker writes. */
@Configuration(proxyBeanMethods = false)
class GroupStoreConfiguration {

    @Bean
    Groups groups(DataSource dataSource) {
        return new Groups(dataSource);
    }
}
