package dev.scimflow.ingress;

import dev.scimflow.scim.ScimException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies as JSON, whatever content type the IdP declared; bad JSON is a SCIM invalidSyntax. The
 * parser refuses, while streaming, documents nested deeper than {@value #MAX_DEPTH} levels (a SCIM request needs
 * about 6) and strings, numbers and member names longer than any SCIM attribute needs: 400 with a SCIM error,
 * never a stack overflow or a huge allocation. The body's total size is capped before it is read
 * ({@link RequestBodyLimit}).
 */
final class ScimJson {

    static final int MAX_DEPTH = 32;
    static final int MAX_STRING_LENGTH = 65_536;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 1_024;

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .build())
                    .build())
            .build();

    private ScimJson() {
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("the request needs a JSON body");
        }
        try {
            return JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ScimException.invalidSyntax("the request body is over a JSON limit: nesting at most " + MAX_DEPTH
                    + " levels, strings at most " + MAX_STRING_LENGTH + " characters, numbers at most " + MAX_NUMBER_LENGTH
                    + " digits, member names at most " + MAX_NAME_LENGTH + " characters");
        } catch (JacksonException e) {
            throw ScimException.invalidSyntax("the request body is not valid JSON");
        }
    }
}
