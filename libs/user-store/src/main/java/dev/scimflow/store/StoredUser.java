package dev.scimflow.store;

import java.time.Instant;

import dev.scimflow.scim.ScimUsers;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user as the store holds it: the document as sent (without id, meta and password) plus the columns that
 * identify, index and version it.
 */
public record StoredUser(
        String tenant,
        String id,
        ObjectNode document,
        long version,
        Instant created,
        Instant lastModified) {

    public String userName() {
        return ScimUsers.userName(document);
    }

    public String externalId() {
        return ScimUsers.externalId(document);
    }

    public boolean active() {
        return ScimUsers.active(document);
    }

    /** The SCIM resource with id and meta; {@code location} may be null where the base URL is not known. */
    public ObjectNode toResource(String location) {
        return ScimUsers.render(document, id, created, lastModified, version, location);
    }

    /** The next version of this user with another document, modified at {@code now}. */
    public StoredUser withDocument(ObjectNode newDocument, Instant now) {
        return new StoredUser(tenant, id, newDocument, version + 1, created, now);
    }
}
