package dev.scimflow.ssf;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The events service: turns the facts on {@code scim.events} into SCIM events (RFC 9967) — signed Security Event
 * Tokens — and delivers them to each tenant's receivers on streams configured by the OpenID Shared Signals Framework,
 * by push (RFC 8935) or poll (RFC 8936). Each stream's position in {@code scim.events} is its delivery position, kept
 * in the {@code events} schema; a receiver that was down catches up from Kafka.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EventsServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(EventsServiceApplication.class, args);
    }
}
