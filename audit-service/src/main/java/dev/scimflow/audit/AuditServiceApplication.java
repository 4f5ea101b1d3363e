package dev.scimflow.audit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The audit service: records every deactivation and reactivation of a user found on {@code scim.events} in
 * its own {@code audit} schema, one SHA-256 hash chain per tenant, and serves that log to operators through a
 * token-protected JSON/CSV API and a server-rendered web page. See the module's README for the design.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuditServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AuditServiceApplication.class, args);
    }
}
