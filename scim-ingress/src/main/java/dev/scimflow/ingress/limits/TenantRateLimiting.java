package dev.scimflow.ingress.limits;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.IngressFilter;
import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.errors.AnsweredError;
import dev.scimflow.ingress.errors.ScimErrorWriter;
import dev.scimflow.scim.ScimException;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Per-tenant rate limiting, after authentication: one Bucket4j token bucket per tenant in this instance
 * (capacity and refill from {@link RateLimitProperties}). A request that finds the bucket empty is answered
 * 429 with a SCIM error and a Retry-After of the seconds until a token is back (Okta and Entra back off on it);
 * every request, read or write, costs one token. A step of {@link IngressFilter}, after the token check.
 */
@Component
public class TenantRateLimiting {

    private static final JsonMapper JSON = ScimJson.MAPPER;

    private final RateLimitProperties properties;
    private final ScimErrorWriter errors;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TenantRateLimiting(RateLimitProperties properties, ScimErrorWriter errors) {
        this.properties = properties;
        this.errors = errors;
    }

    /** True when the authenticated request may go on; false when it was answered 429. */
    public boolean admits(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TokenPrincipal principal = BearerAuthentication.principal(request);
        if (!properties.enabled() || principal == null) {
            return true;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(principal.tenant(), tenant -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return true;
        }
        long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        ScimException tooMany = new ScimException(429, null, "too many requests for this tenant; retry after " + retryAfter + " s");
        AnsweredError.remember(request, tooMany);
        ResponseEntity<ObjectNode> error = errors.toResponse(tooMany);
        response.setStatus(error.getStatusCode().value());
        error.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        response.getOutputStream().write(JSON.writeValueAsBytes(error.getBody()));
        return false;
    }

    /**
     * Charges a bulk request's operations beyond the first (the request paid one token here already), so that a tenant's
     * sustained rate of changes is the same whether it sends them one by one or in bulk. A bulk needs as many tokens as it
     * has operations, or a full bucket if it has more; what the bucket lacks beyond that it owes, and the tenant's next
     * requests wait for it. False when the bucket does not hold that much: the bulk is answered 429 and costs nothing.
     */
    public boolean admitFurtherOperations(String tenant, int further) {
        if (!properties.enabled() || further <= 0) {
            return true;
        }
        Bucket bucket = buckets.computeIfAbsent(tenant, name -> newBucket());
        long upFront = Math.min(further + 1L, properties.capacity()) - 1;
        if (upFront > 0 && !bucket.tryConsume(upFront)) {
            // the refused bulk costs nothing: a client retrying it is not starved by its own retries
            bucket.addTokens(1);
            return false;
        }
        if (further > upFront) {
            bucket.consumeIgnoringRateLimits(further - upFront);
        }
        return true;
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.capacity())
                        .refillGreedy(properties.refillPerSecond(), Duration.ofSeconds(1)).build())
                .build();
    }
}
