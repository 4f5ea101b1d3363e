package dev.scimflow.store;

import java.time.Instant;

import dev.scimflow.scim.ScimGroups;
import tools.jackson.databind.node.ObjectNode;

/**
 * A group as the store holds it: its own attributes (the document, without members), how many members it has,
 * and the columns that identify, index and version it. The members themselves are rows of their own, read
 * through {@link Groups#members} a page at a time.
 */
public record StoredGroup(
                          String tenant,
                          String id,
                          ObjectNode document,
                          long memberCount,
                          long version,
                          Instant created,
                          Instant lastModified) {

    public String displayName() {
        return ScimGroups.displayName(document);
    }

    public String externalId() {
        return ScimGroups.externalId(document);
    }

    /** The SCIM resource with id and meta but without members; {@code location} may be null. */
    public ObjectNode toResource(String location) {
        return ScimGroups.render(document, id, created, lastModified, version, location);
    }

    /** The next version of this group, with this document and member count, modified at {@code now}. */
    public StoredGroup next(ObjectNode newDocument, long newMemberCount, Instant now) {
        return new StoredGroup(tenant, id, newDocument, newMemberCount, version + 1, created, now);
    }
}
