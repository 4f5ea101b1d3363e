package dev.scimflow.ingress;

import dev.scimflow.scim.ScimException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads request bodies as JSON, whatever content type the IdP declared; bad JSON is a SCIM invalidSyntax. */
final class ScimJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ScimJson() {
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("the request needs a JSON body");
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw ScimException.invalidSyntax("the request body is not valid JSON");
        }
    }
}
