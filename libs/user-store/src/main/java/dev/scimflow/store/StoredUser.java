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

    public UserKey key() {
        return new UserKey(tenant, id);
    }

    public String userName() {
        return ScimUsers.userName(document);
    }

    public String externalId() {
        return ScimUsers.externalId(document);
    }

    public boolean active() {
        return ScimUsers.active(document);
    }

    /** Every email value, lower-cased: the indexed column that serves {@code emails.value eq "..."}. */
    public String[] emailValues() {
        java.util.List<String> values = new java.util.ArrayList<>();
        tools.jackson.databind.JsonNode emails = document.get("emails");
        if (emails != null && emails.isArray()) {
            for (tools.jackson.databind.JsonNode email : emails) {
                tools.jackson.databind.JsonNode value = email.get("value");
                if (value != null && value.isString()) {
                    values.add(value.stringValue().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return values.toArray(String[]::new);
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
