package dev.scimflow.events;

import java.util.List;

/**
 * The SCIM event URIs of RFC 9967 that scimflow's events service delivers, shared with the ingress, which advertises
 * them in {@code /ServiceProviderConfig} ({@code securityEvents.eventUris}). Provisioning events come in a {@code full}
 * form (the resource after the change in {@code data}) and a {@code notice} form (the names of the changed attributes).
 */
public final class SecurityEventUris {

    public static final String PREFIX = "urn:ietf:params:scim:event:";
    public static final String CREATE_FULL = PREFIX + "prov:create:full";
    public static final String CREATE_NOTICE = PREFIX + "prov:create:notice";
    public static final String PATCH_FULL = PREFIX + "prov:patch:full";
    public static final String PATCH_NOTICE = PREFIX + "prov:patch:notice";
    public static final String PUT_FULL = PREFIX + "prov:put:full";
    public static final String PUT_NOTICE = PREFIX + "prov:put:notice";
    public static final String DELETE = PREFIX + "prov:delete";
    public static final String ACTIVATE = PREFIX + "prov:activate";
    public static final String DEACTIVATE = PREFIX + "prov:deactivate";
    /** The outcome of an asynchronous request (RFC 9967 §2.5.1.3). */
    public static final String ASYNC_RESPONSE = PREFIX + "misc:asyncresp";

    /** Every event URI the events service can deliver, in the order of RFC 9967 §2.4. */
    public static final List<String> SUPPORTED = List.of(CREATE_FULL, CREATE_NOTICE, PATCH_FULL, PATCH_NOTICE, PUT_FULL,
            PUT_NOTICE, DELETE, ACTIVATE, DEACTIVATE, ASYNC_RESPONSE);

    private SecurityEventUris() {
    }
}
