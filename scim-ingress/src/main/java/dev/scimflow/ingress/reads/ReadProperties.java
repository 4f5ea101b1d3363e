package dev.scimflow.ingress.reads;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A PostgreSQL streaming replica of the user store for the ingress's reads (GET, filters, {@code .search}, lists). Without
 * a {@code jdbcUrl}, every read goes to the primary, as before.
 *
 * @param jdbcUrl              the replica ({@code SCIMFLOW_INGRESS_READ_JDBC_URL}); blank: no replica
 * @param username             its user; blank: the primary's ({@code spring.datasource.username})
 * @param password             its password; blank: the primary's
 * @param replayCheckInterval  how often the instance asks the replica how far it has replayed (one cheap query); a
 *                             tenant's reads go to the primary for up to about this long after each of its writes
 * @param connectionTimeout    how long a read waits for a replica connection before it is served by the primary
 */
@ConfigurationProperties("scimflow.ingress.read")
public record ReadProperties(String jdbcUrl, String username, String password,
                             @DefaultValue("50ms") Duration replayCheckInterval,
                             @DefaultValue("1s") Duration connectionTimeout) {

    boolean replicaConfigured() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }
}
