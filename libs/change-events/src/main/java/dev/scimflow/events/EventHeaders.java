package dev.scimflow.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record headers of {@code scim.events}: what a consumer needs to decide whether an event concerns it, without
 * decoding the JSON value. The worker writes them on every event; events written before they existed have none, and a
 * consumer must then decode the value as before.
 */
public final class EventHeaders {

    /** The {@link EventType} name, e.g. {@code PATCHED}. */
    public static final String TYPE = "scim-event-type";
    /** The {@link ResourceType} name, {@code USER} or {@code GROUP}. */
    public static final String RESOURCE_TYPE = "scim-resource-type";
    /**
     * {@value #DEACTIVATED} or {@value #REACTIVATED} when the event takes a user out of service or back into it
     * ({@link ScimEvent#deactivates()}, {@link ScimEvent#reactivates()}); absent on every other event.
     */
    public static final String ACTIVE_TRANSITION = "scim-active-transition";
    public static final String DEACTIVATED = "deactivated";
    public static final String REACTIVATED = "reactivated";

    private EventHeaders() {
    }

    /** Writes the headers of this event. */
    public static void write(ScimEvent event, Headers headers) {
        headers.add(TYPE, bytes(event.type().name()));
        headers.add(RESOURCE_TYPE, bytes(event.resourceType().name()));
        if (event.deactivates()) {
            headers.add(ACTIVE_TRANSITION, bytes(DEACTIVATED));
        } else if (event.reactivates()) {
            headers.add(ACTIVE_TRANSITION, bytes(REACTIVATED));
        }
    }

    /** True when the record carries this contract's headers, so that {@link #activeTransition} can be trusted. */
    public static boolean present(Headers headers) {
        return headers.lastHeader(TYPE) != null;
    }

    /** {@value #DEACTIVATED}, {@value #REACTIVATED}, or null when the event changes no user's service. */
    public static String activeTransition(Headers headers) {
        Header header = headers.lastHeader(ACTIVE_TRANSITION);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
