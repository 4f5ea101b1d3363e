package dev.scimflow.ingress.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.ScimPaths;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts the SCIM requests answered 429 (the tenant's rate limit) or 503 (broker, database or worker unavailable) per
 * tenant, as {@code scimflow_ingress_refused_total{tenant,status}}: Spring's {@code http_server_requests} has no tenant,
 * and adding one there would multiply every URI, method and status by the tenants. It hooks the request observation
 * Spring MVC already makes, when that ends, so an asynchronous write's 503 is counted when it is finally answered;
 * a request refused before its token could be checked (the database down) counts under tenant {@code unknown}.
 */
@Component
class RefusedRequests implements ObservationHandler<ServerRequestObservationContext> {

    static final String UNKNOWN_TENANT = "unknown";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    RefusedRequests(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ServerRequestObservationContext;
    }

    @Override
    public void onStop(ServerRequestObservationContext context) {
        HttpServletResponse response = context.getResponse();
        HttpServletRequest request = context.getCarrier();
        if (response == null || request == null) {
            return;
        }
        int status = response.getStatus();
        if ((status != 429 && status != 503) || !ScimPaths.isScim(request)) {
            return;
        }
        TokenPrincipal principal = BearerAuthentication.principal(request);
        String tenant = principal == null ? UNKNOWN_TENANT : principal.tenant();
        counters.computeIfAbsent(tenant + ' ' + status, key -> Counter.builder("scimflow.ingress.refused")
                .description("SCIM requests answered 429 or 503, per tenant")
                .tag("tenant", tenant).tag("status", Integer.toString(status))
                .register(registry)).increment();
    }
}
