package dev.scimflow.ingress.errors;

import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * The SCIM error a request was answered with, kept on the request for its entry in the request log: wherever the
 * error was rendered (a filter, the exception mapping, an outcome from the worker), only its scimType and detail.
 */
public record AnsweredError(String scimType, String detail) {

    static final String ATTRIBUTE = AnsweredError.class.getName();

    public static void remember(HttpServletRequest request, ScimException error) {
        request.setAttribute(ATTRIBUTE, new AnsweredError(error.scimType(), error.detail()));
    }

    /** Remembers the error when {@code body} is a SCIM Error (RFC 7644 §3.12); anything else is left alone. */
    static void rememberIfError(HttpServletRequest request, Object body) {
        if (body instanceof JsonNode json && isError(json)) {
            request.setAttribute(ATTRIBUTE, new AnsweredError(text(json, "scimType"), text(json, "detail")));
        }
    }

    public static AnsweredError of(HttpServletRequest request) {
        return (AnsweredError) request.getAttribute(ATTRIBUTE);
    }

    private static boolean isError(JsonNode json) {
        JsonNode schemas = json.get("schemas");
        if (schemas == null || !schemas.isArray()) {
            return false;
        }
        for (JsonNode schema : schemas) {
            if (schema.isString() && ScimSchemas.ERROR.equals(schema.asString())) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || !value.isString() ? null : value.asString();
    }
}
