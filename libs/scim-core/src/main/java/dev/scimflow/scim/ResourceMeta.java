package dev.scimflow.scim;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/** The {@code meta} attribute every rendered resource carries (RFC 7643 §3.1). */
final class ResourceMeta {

    private ResourceMeta() {
    }

    /** Sets {@code meta} on the resource; {@code location} is left out when null. */
    static void put(ObjectNode resource, String resourceType, Instant created, Instant lastModified, long version,
                    String location) {
        ObjectNode meta = resource.putObject("meta");
        meta.put("resourceType", resourceType);
        meta.put("created", created.toString());
        meta.put("lastModified", lastModified.toString());
        meta.put("version", EntityTag.weak(version));
        if (location != null) {
            meta.put("location", location);
        }
    }
}
