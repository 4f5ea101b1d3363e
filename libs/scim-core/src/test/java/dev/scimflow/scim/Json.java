package dev.scimflow.scim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Test fixture: JSON text to plain Jackson nodes, as the ingress's own mapper would produce them. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }

    static ObjectNode object(String json) {
        return (ObjectNode) MAPPER.readTree(json);
    }

    /** A patch request body around the given operations array. */
    static JsonNode patch(String operationsJson) {
        return parse("{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":" + operationsJson + "}");
    }
}
