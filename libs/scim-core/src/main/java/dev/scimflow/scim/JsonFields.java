package dev.scimflow.scim;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/** Case-insensitive member lookup: SCIM message members ("Operations", "op"...) are case-insensitive too. */
final class JsonFields {

    private JsonFields() {
    }

    static JsonNode get(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }
}
