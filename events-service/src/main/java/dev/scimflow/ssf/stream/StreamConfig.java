package dev.scimflow.ssf.stream;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.scimflow.events.SecurityEventUris;

/**
 * One SSF stream: a receiver of one tenant, how SETs reach it, which events it asked for and whether it is enabled.
 *
 * @param authorizationHeader push only: what is sent as {@code Authorization} with every SET; never shown again
 * @param updatedAt           changes with every update, so that a running delivery notices it must restart
 */
public record StreamConfig(String id, String tenant, String description, String method, String endpointUrl,
                           String authorizationHeader, List<String> eventsRequested, StreamStatus status, String reason,
                           Instant createdAt, Instant updatedAt) {

    /** RFC 8935: the service POSTs each SET to the receiver. */
    public static final String PUSH = "urn:ietf:rfc:8935";
    /** RFC 8936: the receiver polls the service for SETs and acknowledges them. */
    public static final String POLL = "urn:ietf:rfc:8936";

    /** What a receiver gets when it asks for nothing: every event, provisioning ones in full form. */
    public static final List<String> DEFAULT_EVENTS = List.of(SecurityEventUris.CREATE_FULL, SecurityEventUris.PATCH_FULL,
            SecurityEventUris.PUT_FULL, SecurityEventUris.DELETE, SecurityEventUris.ACTIVATE, SecurityEventUris.DEACTIVATE);

    public StreamConfig {
        eventsRequested = List.copyOf(eventsRequested);
    }

    public boolean push() {
        return PUSH.equals(method);
    }

    /**
     * The events requested that the service can deliver. A stream chooses one form per action: asked for both, it gets
     * the full one, which carries everything the notice would.
     */
    public Set<String> eventsDelivered() {
        Set<String> delivered = new LinkedHashSet<>();
        for (String uri : SecurityEventUris.SUPPORTED) {
            if (eventsRequested.contains(uri)) {
                delivered.add(uri);
            }
        }
        for (String action : List.of("create", "patch", "put")) {
            if (delivered.contains(SecurityEventUris.PREFIX + "prov:" + action + ":full")) {
                delivered.remove(SecurityEventUris.PREFIX + "prov:" + action + ":notice");
            }
        }
        return delivered;
    }

    /** The {@code aud} of the stream's SETs: the stream's own URL at the issuer. */
    public String audience(String issuer) {
        return issuer + "/ssf/streams/" + id;
    }
}
