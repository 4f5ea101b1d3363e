package dev.scimflow.ssf.delivery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * An outcome that cannot be queued (the database is down) is retried without end, backing off to 30 s, and its offset is
 * not committed meanwhile: no asynchronous response is skipped.
 */
@Configuration(proxyBeanMethods = false)
class AsyncResponseErrorHandling {

    @Bean
    DefaultErrorHandler asyncResponseErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        return new DefaultErrorHandler(backOff);
    }
}
