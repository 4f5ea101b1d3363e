package dev.scimflow.ingress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * The SCIM 2.0 ingress: authenticates, validates, publishes changes and answers with their outcomes. Spring Security serves
 * the OAuth endpoints only and has no users: Boot's default user (whose generated password it would log) is left out.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ScimIngressApplication {

    public static void main(String[] args) {
        SpringApplication.run(ScimIngressApplication.class, args);
    }
}
