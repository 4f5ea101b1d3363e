package dev.scimflow.ingress.bulk;

import java.util.concurrent.CompletableFuture;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.limits.RequestLimits;
import dev.scimflow.ingress.limits.TenantRateLimiting;
import dev.scimflow.scim.BulkRequest;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /scim/v2/Bulk} (RFC 7644 §3.7): the request's envelope and limits are checked here, and each operation is
 * then performed as the request of its own it stands for ({@link BulkOperations}). Answered 200 with a BulkResponse
 * once every operation that was performed has its outcome, or with {@code Prefer: respond-async} 202 once every operation
 * is queued, each operation's outcome then reported as a {@code misc:asyncresp} SET.
 */
@RestController
public class BulkController {

    public static final String PATH = "/scim/v2/Bulk";

    private final BulkOperations operations;
    private final RequestLimits limits;
    private final TenantRateLimiting rateLimiting;

    BulkController(BulkOperations operations, RequestLimits limits, TenantRateLimiting rateLimiting) {
        this.operations = operations;
        this.limits = limits;
        this.rateLimiting = rateLimiting;
    }

    @PostMapping(PATH)
    CompletableFuture<ResponseEntity<JsonNode>> bulk(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        BulkRequest bulk = BulkRequest.parse(ScimJson.parse(body), limits.maxBulkOperations());
        String tenant = BearerAuthentication.principal(request).tenant();
        if (!rateLimiting.admitFurtherOperations(tenant, bulk.operations().size() - 1)) {
            throw new ScimException(429, null, "too many operations for this tenant; a bulk request costs one request per operation");
        }
        return operations.perform(bulk, request);
    }
}
