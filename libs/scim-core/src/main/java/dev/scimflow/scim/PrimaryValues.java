package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.unboundid.scim2.common.types.AttributeDefinition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7643 §2.4: at most one value of a multi-valued attribute (emails, phoneNumbers, addresses...) is primary. A
 * POST or PUT that marks two is 400 invalidValue; a PATCH that makes a value primary takes the mark from the value
 * that had it, as RFC 7644 §3.5.2 asks.
 */
final class PrimaryValues {

    /** The User's multi-valued attributes that have a {@code primary} sub-attribute. */
    private static final List<String> ATTRIBUTES = UserSchema.CORE.attributes().stream()
            .filter(AttributeDefinition::isMultiValued)
            .filter(attribute -> ResourceSchema.subAttribute(attribute, "primary").isPresent())
            .map(AttributeDefinition::getName)
            .toList();

    private PrimaryValues() {
    }

    /** 400 invalidValue when some attribute of the (canonical) document has more than one primary value. */
    static void requireAtMostOne(ObjectNode document) {
        for (String attribute : ATTRIBUTES) {
            if (primaries(document.get(attribute)).size() > 1) {
                throw ScimException.invalidValue("at most one value of '" + attribute + "' may be primary");
            }
        }
    }

    /** The values that are primary now, per attribute: what {@link #keepNewest} compares with after an operation. */
    static Map<String, List<JsonNode>> snapshot(ObjectNode document) {
        Map<String, List<JsonNode>> snapshot = new HashMap<>();
        for (String attribute : ATTRIBUTES) {
            List<JsonNode> primaries = primaries(document.get(attribute));
            if (!primaries.isEmpty()) {
                snapshot.put(attribute, primaries.stream().map(JsonNode::deepCopy).toList());
            }
        }
        return snapshot;
    }

    /**
     * After an operation made a value primary, the values that were primary before it ({@code before}) are primary no
     * more. If the operation itself marked several, they stay, and the final validation refuses the request.
     */
    static void keepNewest(ObjectNode document, Map<String, List<JsonNode>> before) {
        for (String attribute : ATTRIBUTES) {
            List<JsonNode> primaries = primaries(document.get(attribute));
            List<JsonNode> earlier = before.getOrDefault(attribute, List.of());
            if (primaries.size() < 2 || primaries.stream().allMatch(earlier::contains)) {
                continue;
            }
            for (JsonNode value : primaries) {
                if (earlier.contains(value) && value instanceof ObjectNode object) {
                    object.put(primaryKey(object), false);
                }
            }
        }
    }

    private static List<JsonNode> primaries(JsonNode values) {
        List<JsonNode> primaries = new ArrayList<>();
        if (values != null && values.isArray()) {
            for (JsonNode value : values) {
                JsonNode primary = value.isObject() ? JsonFields.get(value, "primary") : null;
                if (primary != null && (primary.isBoolean() ? primary.booleanValue() : primary.asString("").equalsIgnoreCase("true"))) {
                    primaries.add(value);
                }
            }
        }
        return primaries;
    }

    /** The value's own spelling of "primary" (the SDK's nodes keep what the client sent). */
    private static String primaryKey(ObjectNode value) {
        for (String name : value.propertyNames()) {
            if (name.equalsIgnoreCase("primary")) {
                return name;
            }
        }
        return "primary";
    }
}
