package dev.scimflow.ingress;

import org.springframework.http.MediaType;

/** RFC 7644 §3.1: SCIM messages are {@code application/scim+json} (Entra rejects plain application/json). */
final class ScimMediaType {

    static final MediaType SCIM_JSON = MediaType.parseMediaType("application/scim+json");

    private ScimMediaType() {
    }
}
