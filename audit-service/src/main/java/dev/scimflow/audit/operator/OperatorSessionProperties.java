package dev.scimflow.audit.operator;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** How long an operator stays signed in to the web page after signing in ({@code scimflow.audit.session.lifetime}). */
@ConfigurationProperties("scimflow.audit.session")
public record OperatorSessionProperties(Duration lifetime) {

    public OperatorSessionProperties {
        lifetime = lifetime == null ? Duration.ofHours(8) : lifetime;
    }
}
