package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.unboundid.scim2.common.messages.PatchOpType;

import tools.jackson.databind.JsonNode;

/**
 * Reads one entry of a PATCH "Operations" array into resolved operations. An operation without path
 * becomes one operation per key of its value, so that plain, dotted, nested and URN-qualified keys all
 * go through the same path resolution as explicit paths.
 */
final class UserPatchReader {

    /** Keys IdPs echo inside path-less values (Okta sends id on rename) that the server owns. */
    private static final Set<String> SERVER_OWNED_KEYS = Set.of("id", "meta", "groups", "schemas");

    private UserPatchReader() {
    }

    static List<UserPatchOperation> read(JsonNode operation, int index) {
        if (!operation.isObject()) {
            throw ScimException.invalidSyntax("Operations[" + index + "] must be an object");
        }
        PatchOpType type = type(JsonFields.get(operation, "op"), index);
        JsonNode pathNode = JsonFields.get(operation, "path");
        JsonNode value = JsonFields.get(operation, "value");
        if (pathNode != null && !pathNode.isNull() && !pathNode.isString()) {
            throw ScimException.invalidPath("Operations[" + index + "].path must be a string");
        }
        String path = pathNode == null || pathNode.isNull() ? "" : pathNode.stringValue().trim();
        if (path.isEmpty()) {
            if (type == PatchOpType.REMOVE) {
                throw ScimException.noTarget("Operations[" + index + "]: remove needs a path");
            }
            if (value == null || !value.isObject()) {
                throw ScimException.invalidSyntax("Operations[" + index + "]: " + type + " without a path needs an object value");
            }
            return expand(type, value, "");
        }
        if (UserAttributes.isSchemaUrn(path)) {
            return wholeSchema(type, path, value, index);
        }
        if (path.equalsIgnoreCase("schemas")) {
            return List.of(); // derived from the attributes present, whatever the client says
        }
        AttributePath target = AttributePath.parse(path);
        if (target.readOnly()) {
            throw ScimException.mutability("'" + target + "' is read-only");
        }
        return target.writeOnly() ? List.of() : UserPatchOperation.of(type, target, value);
    }

    private static List<UserPatchOperation> expand(PatchOpType type, JsonNode value, String prefix) {
        List<UserPatchOperation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String key = field.getKey();
            if (SERVER_OWNED_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (UserAttributes.isSchemaUrn(key)) {
                if (!AttributeValues.absent(field.getValue())) {
                    operations.addAll(expand(type, objectValue(field.getValue(), key), key + ":"));
                }
                continue;
            }
            AttributePath target = AttributePath.parse(prefix + key);
            // Read-only attributes are silently ignored here (Okta echoes them), password is accepted and dropped.
            if (!target.readOnly() && !target.writeOnly()) {
                operations.addAll(UserPatchOperation.of(type, target, field.getValue()));
            }
        }
        return operations;
    }

    /** A path naming a whole schema, e.g. the enterprise extension: its attributes one by one. */
    private static List<UserPatchOperation> wholeSchema(PatchOpType type, String urn, JsonNode value, int index) {
        if (type != PatchOpType.REMOVE) {
            return expand(type, objectValue(value, "Operations[" + index + "].value"), urn + ":");
        }
        ResourceSchema schema = UserAttributes.namespace(urn).orElseThrow();
        return schema.attributes().stream()
                .map(attribute -> new AttributePath(schema, attribute, null, null))
                .filter(path -> !path.readOnly() && !path.writeOnly())
                .flatMap(path -> UserPatchOperation.of(type, path, null).stream())
                .toList();
    }

    private static JsonNode objectValue(JsonNode value, String where) {
        if (value == null || !value.isObject()) {
            throw ScimException.invalidSyntax("'" + where + "' must be an object of attributes");
        }
        return value;
    }

    private static PatchOpType type(JsonNode op, int index) {
        String name = op != null && op.isString() ? op.stringValue().toLowerCase(Locale.ROOT) : "";
        return switch (name) {
            case "add" -> PatchOpType.ADD;
            case "replace" -> PatchOpType.REPLACE;
            case "remove" -> PatchOpType.REMOVE;
            default -> throw ScimException.invalidSyntax("Operations[" + index + "].op must be add, replace or remove");
        };
    }
}
