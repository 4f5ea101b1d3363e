package dev.scimflow.worker;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.scimflow.store.AppliedChanges;
import dev.scimflow.store.Outbox;
import dev.scimflow.store.Users;
import dev.scimflow.store.WalPositions;

/** The user store's tables the worker writes. */
@Configuration(proxyBeanMethods = false)
class UserStoreConfiguration {

    @Bean
    Users users(DataSource dataSource) {
        return new Users(dataSource);
    }

    @Bean
    AppliedChanges appliedChanges(DataSource dataSource) {
        return new AppliedChanges(dataSource);
    }

    @Bean
    WalPositions walPositions(DataSource dataSource) {
        return new WalPositions(dataSource);
    }

    @Bean
    Outbox outbox(DataSource dataSource) {
        return new Outbox(dataSource);
    }
}
