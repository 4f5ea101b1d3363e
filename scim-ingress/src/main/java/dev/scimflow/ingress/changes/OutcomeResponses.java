package dev.scimflow.ingress.changes;

import java.util.function.UnaryOperator;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.ingress.ScimMediaType;
import dev.scimflow.ingress.errors.ScimErrorWriter;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Turns the worker's outcome of a change into the HTTP answer the IdP gets. */
@Component
public class OutcomeResponses {

    private final ScimErrorWriter errors;

    OutcomeResponses(ScimErrorWriter errors) {
        this.errors = errors;
    }

    public ResponseEntity<JsonNode> toResponse(ChangeOutcome outcome, String location) {
        return toResponse(outcome, location, UnaryOperator.identity());
    }

    /** The same, with the resource as the caller's tenant sees it ({@code presented}: e.g. where role goes). */
    public ResponseEntity<JsonNode> toResponse(ChangeOutcome outcome, String location, UnaryOperator<ObjectNode> presented) {
        if (!outcome.succeeded()) {
            ResponseEntity<ObjectNode> error = errors.toResponse(new ScimException(outcome.status(), outcome.scimType(), outcome.detail()));
            return ResponseEntity.status(error.getStatusCode()).headers(error.getHeaders()).body(error.getBody());
        }
        if (outcome.resource() == null) {
            return ResponseEntity.status(outcome.status()).build();
        }
        ObjectNode resource = (ObjectNode) outcome.resource().deepCopy();
        if (resource.get("meta") instanceof ObjectNode meta) {
            meta.put("location", location);
        }
        return ResponseEntity.status(outcome.status())
                .contentType(ScimMediaType.SCIM_JSON)
                .header(HttpHeaders.LOCATION, location)
                .eTag(ScimUsers.etag(outcome.version()))
                .body(presented.apply(resource));
    }
}
