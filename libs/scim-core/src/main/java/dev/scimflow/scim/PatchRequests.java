package dev.scimflow.scim;

import java.util.Locale;

import com.unboundid.scim2.common.messages.PatchOpType;

import tools.jackson.databind.JsonNode;

/**
 * The PatchOp envelope of RFC 7644 §3.5.2, the same for every resource type: the message schema, the
 * non-empty "Operations" array (member names case-insensitive, as IdPs vary them) and each operation's op.
 */
final class PatchRequests {

    private PatchRequests() {
    }

    /** The "Operations" array of a PATCH request; at most {@code maxOperations} of them (tooMany). */
    static JsonNode operations(JsonNode body, int maxOperations) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("A PATCH request must be a JSON object");
        }
        JsonNode schemas = JsonFields.get(body, "schemas");
        if (schemas == null || !schemas.isArray()
                || schemas.valueStream().noneMatch(urn -> urn.isString() && urn.stringValue().equalsIgnoreCase(ScimSchemas.PATCH_OP))) {
            throw ScimException.invalidSyntax("'schemas' must contain " + ScimSchemas.PATCH_OP);
        }
        JsonNode operations = JsonFields.get(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidSyntax("'Operations' must be a non-empty array");
        }
        if (operations.size() > maxOperations) {
            throw ScimException.tooMany("A PATCH request may hold at most " + maxOperations + " operations");
        }
        return operations;
    }

    /** The op of one operation, case-insensitively (Entra sends "Add", "Replace", "Remove"). */
    static PatchOpType type(JsonNode op, int index) {
        String name = op != null && op.isString() ? op.stringValue().toLowerCase(Locale.ROOT) : "";
        return switch (name) {
            case "add" -> PatchOpType.ADD;
            case "replace" -> PatchOpType.REPLACE;
            case "remove" -> PatchOpType.REMOVE;
            default -> throw ScimException.invalidSyntax("Operations[" + index + "].op must be add, replace or remove");
        };
    }

    /** The operation's path, trimmed; empty when there is none. */
    static String path(JsonNode operation, int index) {
        JsonNode path = JsonFields.get(operation, "path");
        if (path != null && !path.isNull() && !path.isString()) {
            throw ScimException.invalidPath("Operations[" + index + "].path must be a string");
        }
        return path == null || path.isNull() ? "" : path.stringValue().trim();
    }
}
