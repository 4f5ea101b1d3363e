package dev.scimflow.ingress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The SCIM 2.0 ingress: authenticates, validates, publishes changes and answers with their outcomes. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ScimIngressApplication {

    public static void main(String[] args) {
        SpringApplication.run(ScimIngressApplication.class, args);
    }
}
