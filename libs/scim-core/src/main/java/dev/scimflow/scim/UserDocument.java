package dev.scimflow.scim;

import static dev.scimflow.scim.AttributeValues.canonical;

import java.util.Map;
import java.util.Optional;

import com.unboundid.scim2.common.types.AttributeDefinition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a User as a client sent it (or as PATCH left it) into the stored document: canonical names,
 * values normalised by {@link AttributeValues}, server-owned and write-only attributes gone, defaults
 * filled in, {@code schemas} derived from the content.
 */
final class UserDocument {

    private UserDocument() {
    }

    static ObjectNode canonicalise(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("A User must be a JSON object");
        }
        ObjectNode core = JsonNodeFactory.instance.objectNode();
        ObjectNode enterprise = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String key = field.getKey();
            if (key.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER)) {
                if (!AttributeValues.absent(field.getValue()) && !field.getValue().isObject()) {
                    throw ScimException.invalidValue("'" + ScimSchemas.ENTERPRISE_USER + "' must be an object");
                }
                field.getValue().propertyStream().forEach(sub -> put(enterprise, UserSchema.ENTERPRISE, sub.getKey(), sub.getValue()));
            } else if (key.equalsIgnoreCase(ScimSchemas.ZULIP_USER)) {
                if (!AttributeValues.absent(field.getValue()) && !field.getValue().isObject()) {
                    throw ScimException.invalidValue("'" + ScimSchemas.ZULIP_USER + "' must be an object");
                }
                // the extension's attributes are stored at the top, where the core-namespaced spelling puts them too
                field.getValue().propertyStream().forEach(sub -> put(core, UserSchema.ZULIP, sub.getKey(), sub.getValue()));
            } else if (startsWithUrn(key, ScimSchemas.ZULIP_USER)) {
                put(core, UserSchema.ZULIP, key.substring(ScimSchemas.ZULIP_USER.length() + 1), field.getValue());
            } else if (startsWithUrn(key, ScimSchemas.ENTERPRISE_USER)) {
                put(enterprise, UserSchema.ENTERPRISE, key.substring(ScimSchemas.ENTERPRISE_USER.length() + 1), field.getValue());
            } else if (startsWithUrn(key, ScimSchemas.USER)) {
                put(core, UserSchema.CORE, key.substring(ScimSchemas.USER.length() + 1), field.getValue());
            } else {
                put(core, UserSchema.CORE, key, field.getValue());
            }
        }
        return withRules(core, enterprise);
    }

    /** Unknown attributes are dropped, not refused: Entra sends its own mappings and the RFC allows ignoring them. */
    private static void put(ObjectNode target, ResourceSchema schema, String name, JsonNode value) {
        Optional<AttributeDefinition> definition = UserAttributes.find(schema, name);
        if (definition.isEmpty() || UserAttributes.notStored(definition.get())) {
            return;
        }
        String canonicalName = definition.get().getName();
        JsonNode canonicalValue = canonical(definition.get(), value, canonicalName);
        if (canonicalValue != null) {
            target.set(canonicalName, canonicalValue);
        }
    }

    private static ObjectNode withRules(ObjectNode core, ObjectNode enterprise) {
        JsonNode userName = core.get("userName");
        if (userName == null || !userName.isString() || userName.stringValue().isBlank()) {
            throw ScimException.invalidValue("'userName' is required and must be a non-blank string");
        }
        if (!core.has("active")) {
            core.put("active", true);
        }
        core.put("role", UserRole.canonical(core.get("role")));
        PrimaryValues.requireAtMostOne(core);

        ObjectNode document = JsonNodeFactory.instance.objectNode();
        var schemas = document.putArray("schemas").add(ScimSchemas.USER);
        document.setAll(core);
        if (!enterprise.isEmpty()) {
            schemas.add(ScimSchemas.ENTERPRISE_USER);
            document.set(ScimSchemas.ENTERPRISE_USER, enterprise);
        }
        return document;
    }

    private static boolean startsWithUrn(String key, String urn) {
        return key.length() > urn.length() + 1 && key.regionMatches(true, 0, urn + ":", 0, urn.length() + 1);
    }
}
