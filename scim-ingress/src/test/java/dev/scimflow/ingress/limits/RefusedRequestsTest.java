package dev.scimflow.ingress.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Which answers {@link RefusedRequests} counts, and under which tenant. */
class RefusedRequestsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RefusedRequests refused = new RefusedRequests(registry);

    @Test
    void a429Or503ToAScimRequestIsCountedForTheCallersTenantAndStatus() {
        answer("/scim/v2/Users", "acme", 429);
        answer("/scim/v2/Users", "acme", 429);
        answer("/scim/v2/Groups/1", "acme", 503);
        answer("/scim/v2/Users", "globex", 503);

        assertThat(count("acme", "429")).isEqualTo(2.0);
        assertThat(count("acme", "503")).isEqualTo(1.0);
        assertThat(count("globex", "503")).isEqualTo(1.0);
        assertThat(registry.find("scimflow.ingress.refused").counters()).hasSize(3);
    }

    @Test
    void aRequestRefusedBeforeItsTokenWasCheckedCountsUnderUnknown() {
        answer("/scim/v2/Users", null, 503);

        assertThat(count(RefusedRequests.UNKNOWN_TENANT, "503")).isEqualTo(1.0);
    }

    @Test
    void otherStatusesAndNonScimPathsAreNotCounted() {
        answer("/scim/v2/Users", "acme", 200);
        answer("/scim/v2/Users", "acme", 500);
        answer("/scim/v2/Users", "acme", 409);
        // a readiness probe answers 503 while a dependency is down: that is no refused SCIM request
        answer("/actuator/health/readiness", null, 503);

        assertThat(registry.find("scimflow.ingress.refused").counters()).isEmpty();
    }

    private void answer(String path, String tenant, int status) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        if (tenant != null) {
            request.setAttribute(BearerAuthentication.PRINCIPAL, new TokenPrincipal("token-1", tenant, RoleAttribute.EXTENSION));
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setStatus(status);
        ServerRequestObservationContext context = new ServerRequestObservationContext(request, response);
        assertThat(refused.supportsContext(context)).isTrue();
        refused.onStop(context);
    }

    private double count(String tenant, String status) {
        Counter counter = registry.find("scimflow.ingress.refused").tag("tenant", tenant).tag("status", status).counter();
        return counter == null ? 0 : counter.count();
    }
}
