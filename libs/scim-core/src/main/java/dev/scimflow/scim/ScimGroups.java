package dev.scimflow.scim;

import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SCIM Group semantics over JSON documents. The stored document is {@code schemas}, {@code displayName} and
 * {@code externalId}; members (users, and groups nested in it) are ids kept apart from it (one row each in the store), because a group
 * may have 100,000 of them and one membership change must not rewrite the others. This class turns request
 * bodies into document and member ids, and both back into the resource clients see.
 */
public final class ScimGroups {

    /**
     * At most this many member values in one POST, PUT or PATCH (413 beyond). It keeps every change well under
     * Kafka's 1 MB message size; larger groups are built by several PATCH requests, as IdPs do anyway.
     */
    public static final int MAX_MEMBERS_PER_REQUEST = 10_000;

    /**
     * Write responses (201/200 with the resource) list members only for groups of at most this many; for a
     * larger group the resource comes without {@code members}, and GET streams them.
     */
    public static final int MAX_INLINE_MEMBERS = 1_000;

    private ScimGroups() {
    }

    /** For POST and PUT bodies: the stored document and member ids, or a ScimException saying what is wrong. */
    public static GroupWrite validateForWrite(JsonNode body) {
        return GroupDocument.canonicalise(body);
    }

    public static String displayName(JsonNode storedDocument) {
        JsonNode value = storedDocument.get("displayName");
        return value == null || value.isNull() ? null : value.asString();
    }

    /** The IdP's own identifier for the group; null when it sent none. */
    public static String externalId(JsonNode storedDocument) {
        JsonNode value = storedDocument.get("externalId");
        return value == null || value.isNull() ? null : value.asString();
    }

    /** The resource without members: id first, the document, then meta. */
    public static ObjectNode render(JsonNode storedDocument, String id, Instant created, Instant lastModified,
                                    long version, String location) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        resource.put("id", id);
        for (Map.Entry<String, JsonNode> field : storedDocument.properties()) {
            if (!field.getKey().equals("id") && !field.getKey().equals("meta") && !field.getKey().equals("members")) {
                resource.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        ResourceMeta.put(resource, "Group", created, lastModified, version, location);
        return resource;
    }

    /** One user value of {@code members}; display and the user's location are left out when null. */
    public static ObjectNode member(String userId, String display, String userLocation) {
        return member(userId, display, userLocation, MemberType.USER);
    }

    /** One value of {@code members}, a user or a nested group; display and location are left out when null. */
    public static ObjectNode member(String id, String display, String location, MemberType type) {
        ObjectNode member = JsonNodeFactory.instance.objectNode();
        member.put("value", id);
        if (display != null) {
            member.put("display", display);
        }
        if (location != null) {
            member.put("$ref", location);
        }
        member.put("type", type.scimName());
        return member;
    }

    /** The rendered resource with {@code members} in its place, before meta. */
    public static ObjectNode withMembers(ObjectNode resource, Iterable<? extends JsonNode> members) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            if (field.getKey().equals("meta")) {
                var array = result.putArray("members");
                members.forEach(array::add);
            }
            result.set(field.getKey(), field.getValue());
        }
        return result;
    }

    /** The ETag of a version: {@code W/"<version>"}. */
    public static String etag(long version) {
        return EntityTag.weak(version);
    }

    /** True if the If-Match header value admits this version ("*", a list, weak or strong forms). */
    public static boolean ifMatchSatisfied(String ifMatch, long version) {
        return EntityTag.ifMatch(ifMatch, version);
    }

    static ScimException tooManyMembers() {
        return ScimException.payloadTooLarge("at most " + MAX_MEMBERS_PER_REQUEST
                + " member values per request; add larger memberships in several PATCH requests");
    }
}
