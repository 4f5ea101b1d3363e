package dev.scimflow.ingress;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.scimflow.scim.ScimException;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Per-tenant rate limiting, after authentication: one Bucket4j token bucket per tenant in this instance
 * (capacity and refill from {@link RateLimitProperties}). A request that finds the bucket empty is answered
 * 429 with a SCIM error and a Retry-After of the seconds until a token is back (Okta and Entra back off on it);
 * every request, read or write, costs one token.
 */
@Component
@Order(BearerAuthentication.ORDER + 10)
class TenantRateLimiting extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RateLimitProperties properties;
    private final ScimErrorWriter errors;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TenantRateLimiting(RateLimitProperties properties, ScimErrorWriter errors) {
        this.properties = properties;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.enabled() || BearerAuthentication.principal(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TokenPrincipal principal = BearerAuthentication.principal(request);
        ConsumptionProbe probe = buckets.computeIfAbsent(principal.tenant(), tenant -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        ResponseEntity<ObjectNode> error = errors.toResponse(new ScimException(429, null,
                "too many requests for this tenant; retry after " + retryAfter + " s"));
        response.setStatus(error.getStatusCode().value());
        error.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        response.getOutputStream().write(JSON.writeValueAsBytes(error.getBody()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.capacity())
                        .refillGreedy(properties.refillPerSecond(), Duration.ofSeconds(1)).build())
                .build();
    }
}
