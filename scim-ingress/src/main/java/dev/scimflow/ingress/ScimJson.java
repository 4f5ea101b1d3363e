package dev.scimflow.ingress;

import dev.scimflow.ingress.limits.RequestBodyLimit;

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
 * ({@link RequestBodyLimit}). A string or member name the store cannot hold (U+0000, an unpaired surrogate) is 400
 * invalidValue: such a change could never be applied as sent.
 *
 * <p>{@link #MAPPER} is the ingress's one JSON mapper: it parses request bodies, and the reads, the discovery
 * endpoints, the error writers and Spring MVC (through the {@code JsonMapper} bean) write with it.
 */
public final class ScimJson {

    public static final int MAX_DEPTH = 32;
    public static final int MAX_STRING_LENGTH = 65_536;
    public static final int MAX_NUMBER_LENGTH = 100;
    public static final int MAX_NAME_LENGTH = 1_024;

    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
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

    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("the request needs a JSON body");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ScimException.invalidSyntax("the request body is over a JSON limit: nesting at most " + MAX_DEPTH
                    + " levels, strings at most " + MAX_STRING_LENGTH + " characters, numbers at most " + MAX_NUMBER_LENGTH
                    + " digits, member names at most " + MAX_NAME_LENGTH + " characters");
        } catch (JacksonException e) {
            throw ScimException.invalidSyntax("the request body is not valid JSON");
        }
        requireStorable(tree);
        return tree;
    }

    /**
     * True when the store cannot keep the text as it is: it holds U+0000 (PostgreSQL refuses it in text and jsonb), or
     * a surrogate without its pair (JSON's {@code "\\ud800"}): UTF-8, the store's encoding, has no form for it, so
     * what was stored would not be what was sent.
     */
    public static boolean unstorable(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return true;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void requireStorable(JsonNode node) {
        if (node.isString() && unstorable(node.stringValue())) {
            throw ScimException.invalidValue("strings cannot contain U+0000 or an unpaired surrogate (\\ud800-\\udfff)");
        }
        if (node.isObject()) {
            for (var field : node.properties()) {
                if (unstorable(field.getKey())) {
                    throw ScimException.invalidValue("attribute names cannot contain U+0000 or an unpaired surrogate");
                }
                requireStorable(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(ScimJson::requireStorable);
        }
    }
}
