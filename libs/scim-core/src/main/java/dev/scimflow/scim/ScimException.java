package dev.scimflow.scim;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A SCIM error (RFC 7644 §3.12): HTTP status, optional scimType and a detail that is safe to show to
 * the client. Unchecked so that validation deep inside the JSON walk can fail without plumbing; the
 * ingress maps it to a response in one place.
 */
public class ScimException extends RuntimeException {

    private final int status;
    private final String scimType;
    private final String detail;

    public ScimException(int status, String scimType, String detail) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    /** The RFC 7644 scimType, or null for errors that have none (404, 412, 501...). */
    public String scimType() {
        return scimType;
    }

    public String detail() {
        return detail;
    }

    public static ScimException invalidValue(String detail) {
        return new ScimException(400, "invalidValue", detail);
    }
    public static ScimException invalidSyntax(String detail) {
        return new ScimException(400, "invalidSyntax", detail);
    }
    public static ScimException invalidPath(String detail) {
        return new ScimException(400, "invalidPath", detail);
    }
    public static ScimException invalidFilter(String detail) {
        return new ScimException(400, "invalidFilter", detail);
    }
    public static ScimException noTarget(String detail) {
        return new ScimException(400, "noTarget", detail);
    }
    public static ScimException mutability(String detail) {
        return new ScimException(400, "mutability", detail);
    }
    public static ScimException tooMany(String detail) {
        return new ScimException(400, "tooMany", detail);
    }
    public static ScimException uniqueness(String detail) {
        return new ScimException(409, "uniqueness", detail);
    }
    public static ScimException notFound(String detail) {
        return new ScimException(404, null, detail);
    }
    public static ScimException preconditionFailed(String detail) {
        return new ScimException(412, null, detail);
    }
    public static ScimException notImplemented(String detail) {
        return new ScimException(501, null, detail);
    }
    public static ScimException payloadTooLarge(String detail) {
        return new ScimException(413, null, detail);
    }

    /** The SCIM Error body. {@code status} is a JSON string because RFC 7644 §3.12 says so and Entra checks. */
    public ObjectNode toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("schemas").add(ScimSchemas.ERROR);
        body.put("status", String.valueOf(status));
        if (scimType != null) {
            body.put("scimType", scimType);
        }
        body.put("detail", detail);
        return body;
    }

    /**
     * Translates an error raised by the UnboundID SDK while parsing or applying PATCH, keeping its
     * status and scimType. Its detail describes the client's own input (paths, filters), so it is safe.
     */
    static ScimException fromSdk(com.unboundid.scim2.common.exceptions.ScimException e) {
        var error = e.getScimError();
        String detail = error.getDetail() != null ? error.getDetail() : "The request could not be applied";
        int status = error.getStatus() != null ? error.getStatus() : 400;
        return new ScimException(status, error.getScimType(), detail);
    }
}
