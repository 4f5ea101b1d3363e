package dev.scimflow.scim;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SCIM User semantics over JSON documents. The stored document is the resource as sent, with names
 * canonicalised and without id, meta, groups, password and nulls; this class turns request bodies
 * into it and it back into the resource clients see.
 */
public final class ScimUsers {

    private ScimUsers() {
    }

    /** For POST and PUT bodies: a new stored document, or a ScimException saying what is wrong. */
    public static ObjectNode validateForWrite(JsonNode body) {
        return UserDocument.canonicalise(body);
    }

    public static String userName(JsonNode storedDocument) {
        return text(storedDocument.get("userName"));
    }

    /** The IdP's own identifier for the user; null when it sent none. */
    public static String externalId(JsonNode storedDocument) {
        return text(storedDocument.get("externalId"));
    }

    public static boolean active(JsonNode storedDocument) {
        JsonNode active = storedDocument.get("active");
        return active == null || active.isNull() || active.asBoolean(true);
    }

    /**
     * The resource as returned to clients: id first, the document, then meta. {@code name.formatted} is
     * derived from the name parts when the IdP did not send it (SCIM-INTEROP: returned when known).
     */
    public static ObjectNode render(JsonNode storedDocument, String id, Instant created, Instant lastModified,
                                    long version, String location) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        resource.put("id", id);
        for (Map.Entry<String, JsonNode> field : storedDocument.properties()) {
            // A stored document never holds these, but a leaked password must not depend on that.
            if (!field.getKey().equals("id") && !field.getKey().equals("meta") && !field.getKey().equals("password")) {
                resource.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        withFormattedName(resource);
        ResourceMeta.put(resource, "User", created, lastModified, version, location);
        return resource;
    }

    /**
     * A rendered user (or the resource of a change's outcome) as a tenant's clients see it: {@code role} where the
     * tenant chose ({@link RoleAttribute}). With {@link RoleAttribute#EXTENSION} it moves into scimflow's Zulip
     * extension, whose URN joins {@code schemas}, just before {@code meta}. The input is not modified.
     */
    public static ObjectNode withRoleAttribute(ObjectNode resource, RoleAttribute roleAttribute) {
        JsonNode role = resource.get("role");
        if (roleAttribute == RoleAttribute.CORE || role == null) {
            return resource;
        }
        ObjectNode presented = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            switch (field.getKey()) {
                case "role" -> {
                }
                case "schemas" -> presented.set("schemas", field.getValue().deepCopy());
                case "meta" -> {
                    presented.putObject(ScimSchemas.ZULIP_USER).set("role", role);
                    presented.set("meta", field.getValue());
                }
                default -> presented.set(field.getKey(), field.getValue());
            }
        }
        if (!presented.has(ScimSchemas.ZULIP_USER)) {
            presented.putObject(ScimSchemas.ZULIP_USER).set("role", role);
        }
        if (presented.get("schemas") instanceof tools.jackson.databind.node.ArrayNode schemas) {
            schemas.add(ScimSchemas.ZULIP_USER);
        } else {
            presented.putArray("schemas").add(ScimSchemas.USER).add(ScimSchemas.ZULIP_USER);
        }
        return presented;
    }

    /** The ETag of a version: {@code W/"<version>"}. */
    public static String etag(long version) {
        return EntityTag.weak(version);
    }

    /** True if the If-Match header value admits this version ("*", a list, weak or strong forms). */
    public static boolean ifMatchSatisfied(String ifMatch, long version) {
        return EntityTag.ifMatch(ifMatch, version);
    }

    /** Clients display name.formatted; IdPs often send only the parts, so derive it when missing. */
    private static void withFormattedName(ObjectNode resource) {
        if (resource.get("name") instanceof ObjectNode name && !name.has("formatted")) {
            String formatted = Stream.of("givenName", "middleName", "familyName")
                    .map(part -> text(name.get(part))).filter(Objects::nonNull).collect(Collectors.joining(" "));
            if (!formatted.isBlank()) {
                name.put("formatted", formatted);
            }
        }
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asString();
    }
}
