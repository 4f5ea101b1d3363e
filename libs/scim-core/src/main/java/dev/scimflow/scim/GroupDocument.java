package dev.scimflow.scim;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.unboundid.scim2.common.types.AttributeDefinition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a Group as a client sent it (or as PATCH left it) into the stored document and its member ids. The
 * document holds {@code schemas}, {@code displayName} and {@code externalId} only: members live in rows of
 * their own, so that changing one membership never rewrites the document.
 */
final class GroupDocument {

    private GroupDocument() {
    }

    static GroupWrite canonicalise(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("A Group must be a JSON object");
        }
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        List<String> members = List.of();
        Map<String, MemberType> declaredTypes = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = GroupAttributes.unqualified(field.getKey());
            Optional<AttributeDefinition> definition = GroupAttributes.find(GroupSchema.CORE, name);
            // Unknown attributes are dropped, not refused, as for users; id and meta are the server's.
            if (definition.isEmpty() || definition.get().getMutability() == AttributeDefinition.Mutability.READ_ONLY) {
                continue;
            }
            if (definition.get().getName().equals("members")) {
                members = MemberValues.ids(field.getValue(), "members", declaredTypes);
            } else {
                JsonNode value = AttributeValues.canonical(definition.get(), field.getValue(), definition.get().getName());
                if (value != null) {
                    attributes.set(definition.get().getName(), value);
                }
            }
        }
        if (members.size() > ScimGroups.MAX_MEMBERS_PER_REQUEST) {
            throw ScimGroups.tooManyMembers();
        }
        return new GroupWrite(withRules(attributes), members, declaredTypes);
    }

    /** A stored document after attribute changes: still a valid Group. */
    static ObjectNode revalidate(ObjectNode document) {
        ObjectNode attributes = document.deepCopy();
        attributes.remove("schemas");
        return withRules(attributes);
    }

    private static ObjectNode withRules(ObjectNode attributes) {
        JsonNode displayName = attributes.get("displayName");
        if (displayName == null || !displayName.isString() || displayName.stringValue().isBlank()) {
            throw ScimException.invalidValue("'displayName' is required and must be a non-blank string");
        }
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.putArray("schemas").add(ScimSchemas.GROUP);
        document.set("displayName", attributes.get("displayName"));
        if (attributes.has("externalId")) {
            document.set("externalId", attributes.get("externalId"));
        }
        return document;
    }
}
