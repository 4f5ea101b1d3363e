package dev.scimflow.ingress;

import org.springframework.http.MediaType;

/**
 * RFC 7644 §3.1: SCIM messages are {@code application/scim+json} (Entra rejects plain application/json). Request
 * bodies may be that or {@code application/json}; anything else is 415.
 */
public final class ScimMediaType {

    public static final String SCIM_JSON_VALUE = "application/scim+json";
    public static final MediaType SCIM_JSON = MediaType.parseMediaType(SCIM_JSON_VALUE);

    private ScimMediaType() {
    }
}
