package dev.scimflow.ingress;

import java.io.IOException;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.errors.ScimErrorWriter;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 7644 §3.1: SCIM request bodies are JSON. A body declared as something else ({@code text/plain}, a form) is 415
 * with a SCIM error, before it is read; {@code application/scim+json} and {@code application/json} (any charset) are
 * taken. A request that declares no type is read as JSON, as before: no IdP omits it, and a bare {@code curl -d}
 * sends a form type anyway. A step of {@link IngressFilter}, after the token check.
 */
@Component
class RequestContentType {

    private final ScimErrorWriter errors;

    RequestContentType(ScimErrorWriter errors) {
        this.errors = errors;
    }

    /** True when the SCIM request may go on; false when it was answered 415. */
    boolean admits(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        String contentType = request.getContentType();
        if (!withBody || contentType == null || isJson(contentType)) {
            return true;
        }
        errors.write(request, response, new ScimException(415, null, "send application/scim+json or application/json"));
        return false;
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(ScimMediaType.SCIM_JSON) && !type.isWildcardSubtype()
                    || type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
