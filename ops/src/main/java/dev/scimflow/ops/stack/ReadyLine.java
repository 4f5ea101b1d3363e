package dev.scimflow.ops.stack;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.scimflow.ops.Json;

/** What {@code scimflow up} prints, as one line, once every part is ready: how to reach the stack and with what. */
@JsonPropertyOrder({"scimBaseUrl", "auditUrl", "auditToken", "kafkaBootstrap", "jdbcUrl", "tenant", "token", "eventsUrl"})
public record ReadyLine(String scimBaseUrl, String auditUrl, String auditToken, String kafkaBootstrap, String jdbcUrl,
                        String tenant, String token, String eventsUrl) {

    public static final String PREFIX = "SCIMFLOW READY ";

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
