package dev.scimflow.ingress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;

import tools.jackson.databind.json.JsonMapper;

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

    /**
     * The ingress's one SCIM mapper, {@link ScimJson#MAPPER}, is also the one Spring MVC writes answers with: a SCIM error
     * reads the same whether a controller's exception handler or a servlet filter wrote it.
     */
    @Bean
    JsonMapper jsonMapper() {
        return ScimJson.MAPPER;
    }
}
