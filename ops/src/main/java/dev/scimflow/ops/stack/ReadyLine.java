package dev.scimflow.ops.stack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.scimflow.ops.Json;

/**
 * What {@code scimflow up} prints, as one line, once every part is ready: how to reach the stack and with what
 * ({@code replicaJdbcUrl} only with {@code --postgres-replica}).
 */
@JsonPropertyOrder({"scimBaseUrl", "auditUrl", "auditToken", "kafkaBootstrap", "jdbcUrl", "tenant", "token", "eventsUrl",
        "replicaJdbcUrl"})
public record ReadyLine(String scimBaseUrl, String auditUrl, String auditToken, String kafkaBootstrap, String jdbcUrl,
                        String tenant, String token, String eventsUrl,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String replicaJdbcUrl) {

    public static final String PREFIX = "SCIMFLOW READY ";

    /** A stack without a PostgreSQL replica: the line has no {@code replicaJdbcUrl}. */
    public ReadyLine(String scimBaseUrl, String auditUrl, String auditToken, String kafkaBootstrap, String jdbcUrl, String tenant,
                     String token, String eventsUrl) {
        this(scimBaseUrl, auditUrl, auditToken, kafkaBootstrap, jdbcUrl, tenant, token, eventsUrl, null);
    }

    public String render() {
        return PREFIX + Json.line(this);
    }

    /** Reads a line printed by {@link #render()}, e.g. in a script or a test that started {@code scimflow up}. */
    public static ReadyLine parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a READY line: " + line);
        }
        return Json.MAPPER.readValue(line.substring(PREFIX.length()), ReadyLine.class);
    }
}
