package dev.scimflow.ingress.errors;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.IngressProperties;
import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.ScimMediaType;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Renders SCIM errors (RFC 7644 §3.12), with Retry-After on 503 and 429. */
@Component
public class ScimErrorWriter {

    private static final JsonMapper JSON = ScimJson.MAPPER;

    private final IngressProperties properties;

    ScimErrorWriter(IngressProperties properties) {
        this.properties = properties;
    }

    public ResponseEntity<ObjectNode> toResponse(ScimException error) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status()).contentType(ScimMediaType.SCIM_JSON);
        if (error.status() == 503 || error.status() == 429) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds());
        }
        return response.body(error.toJson());
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ScimException error) throws IOException {
        AnsweredError.remember(request, error);
        response.setStatus(error.status());
        response.setContentType(ScimMediaType.SCIM_JSON.toString());
        if (error.status() == 503 || error.status() == 429) {
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds());
        }
        response.getOutputStream().write(JSON.writeValueAsBytes(error.toJson()));
    }

    private String retryAfterSeconds() {
        return Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
    }
}
