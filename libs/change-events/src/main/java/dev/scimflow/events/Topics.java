package dev.scimflow.events;

/** The Kafka topic names; they are part of scimflow's contract with every producer and consumer. */
public final class Topics {

    /** Accepted change requests (commands), keyed {@code tenant:resourceId}. */
    public static final String CHANGES = "scim.changes";
    /** Applied facts with before/after snapshots, keyed {@code tenant:resourceId}; kept forever. */
    public static final String EVENTS = "scim.events";
    /** The result of each change, keyed by change id; read by the ingress that waits for it. */
    public static final String OUTCOMES = "scim.outcomes";
    /** Changes that can never be applied, keyed as in {@link #CHANGES}. */
    public static final String CHANGES_DLT = "scim.changes-dlt";
    /** The tenants' request logs: one {@link ScimRequest} per SCIM request, keyed by tenant; kept a day. */
    public static final String REQUESTS = "scim.requests";

    private Topics() {
    }

    /** The record key that keeps every change to one resource in order on one partition. */
    public static String resourceKey(String tenant, String resourceId) {
        return tenant + ":" + resourceId;
    }
}
