package dev.scimflow.scim;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.unboundid.scim2.common.types.AttributeDefinition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brings one attribute value to its stored form, driven by the attribute's definition: canonical
 * sub-attribute names, real booleans (Entra sends "True"/"False"), multi-valued attributes as arrays
 * without repeated values. Returns null for a value that means "unassigned" — null, [] or {} — which
 * RFC 7643 §2.5 treats as absent. A value of the wrong type (a number for a string) is 400 invalidValue; only
 * booleans have a documented leniency. Always builds plain Jackson nodes, whatever the input nodes were.
 */
final class AttributeValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AttributeValues() {
    }

    static JsonNode canonical(AttributeDefinition definition, JsonNode value, String where) {
        if (!definition.isMultiValued() || absent(value)) {
            return singular(definition, value, where);
        }
        ArrayNode values = NODES.arrayNode();
        Set<JsonNode> seen = new HashSet<>(); // a set, not a scan of the array: linear in the number of values
        for (JsonNode element : value.isArray() ? value : List.of(value)) {
            JsonNode canonical = singular(definition, element, where);
            if (canonical != null && seen.add(canonical)) {
                values.add(canonical);
            }
        }
        return values.isEmpty() ? null : values;
    }

    /** One value of the attribute (for a multi-valued attribute: one element). */
    static JsonNode singular(AttributeDefinition definition, JsonNode value, String where) {
        if (absent(value)) {
            return null;
        }
        return switch (definition.getType()) {
            case COMPLEX -> complex(definition, value, where);
            case BOOLEAN -> bool(value, where);
            case INTEGER, DECIMAL -> {
                if (!value.isNumber())
                    throw ScimException.invalidValue("'" + where + "' must be a number");
                yield value;
            }
            default -> text(value, where);
        };
    }

    private static JsonNode complex(AttributeDefinition definition, JsonNode value, String where) {
        if (value.isValueNode()) {
            // Entra sends the enterprise manager as a bare id; a scalar is the "value" sub-attribute.
            var valueDefinition = ResourceSchema.subAttribute(definition, "value")
                    .orElseThrow(() -> ScimException.invalidValue("'" + where + "' must be an object"));
            return NODES.objectNode().set("value", singular(valueDefinition, value, where + ".value"));
        }
        if (!value.isObject()) {
            throw ScimException.invalidValue("'" + where + "' must be an object");
        }
        ObjectNode result = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            // Sub-attributes outside the schema are dropped rather than refused: IdPs add their own.
            ResourceSchema.subAttribute(definition, field.getKey()).ifPresent(sub -> {
                JsonNode canonical = singular(sub, field.getValue(), where + "." + sub.getName());
                if (canonical != null) {
                    result.set(sub.getName(), canonical);
                }
            });
        }
        return result.isEmpty() ? null : result;
    }

    private static JsonNode bool(JsonNode value, String where) {
        if (value.isBoolean()) {
            return value;
        }
        if (value.isString() && (value.stringValue().equalsIgnoreCase("true") || value.stringValue().equalsIgnoreCase("false"))) {
            return NODES.booleanNode(Boolean.parseBoolean(value.stringValue()));
        }
        throw ScimException.invalidValue("'" + where + "' must be a boolean (true or false)");
    }

    /** A string attribute takes a JSON string: a number or boolean in its place is a client's mistake (invalidValue). */
    private static JsonNode text(JsonNode value, String where) {
        if (value.isString()) {
            return value;
        }
        throw ScimException
                .invalidValue("'" + where + "' must be a string, not " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() || (value.isContainer() && value.isEmpty());
    }
}
