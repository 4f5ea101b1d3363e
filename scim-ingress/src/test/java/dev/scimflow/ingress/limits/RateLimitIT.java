package dev.scimflow.ingress.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.ingress.IngressHttp;
import dev.scimflow.ingress.MigratedStore;

/**
 * Per-tenant rate limiting on the real ingress, with a small bucket (5 at once, 1 a second): a tenant over its rate
 * gets 429 with Retry-After and a SCIM error, another tenant is not affected, and the tenant is served again once
 * the bucket has refilled. Each 429 is counted for its tenant ({@code scimflow_ingress_refused_total}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"scimflow.ingress.rate-limit.capacity=5",
        "scimflow.ingress.rate-limit.refill-per-second=1"})
class RateLimitIT {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    IngressHttp http;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        MigratedStore.register(registry);
    }

    @BeforeEach
    void client() {
        http = new IngressHttp(port);
    }

    @Test
    void aTenantOverItsRateGets429WithRetryAfterAndOtherTenantsAreServed() {
        String[] noisyTenant = IngressHttp.newTenant(dataSource);
        String noisy = noisyTenant[1];
        String quiet = IngressHttp.newTenant(dataSource)[1];

        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = http.get("/scim/v2/Users", noisy);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }

        assertThat(statuses).contains(200).contains(429).doesNotContain(500);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isBetween(5L, 8L);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
        assertThat(IngressHttp.json(limited).get("status").asString()).isEqualTo("429");
        assertThat(limited.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(http.get("/scim/v2/Users", quiet).statusCode()).as("another tenant has its own bucket").isEqualTo(200);
        long refused = statuses.stream().filter(s -> s == 429).count();
        await().untilAsserted(() -> assertThat(http.metric("scimflow_ingress_refused_total", "status=\"429\"",
                "tenant=\"" + noisyTenant[0] + "\"")).as("every 429 is counted for its tenant").isEqualTo((double) refused));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> http.get("/scim/v2/Users", noisy).statusCode() == 200);
    }

    @Test
    void writesCountAgainstTheRateAndAWrongTokenNeverSpendsATenantsBudget() {
        String tenant = IngressHttp.newTenant(dataSource)[1];
        for (int i = 0; i < 20; i++) {
            assertThat(http.get("/scim/v2/Users", "scimflow_wrong" + i).statusCode()).isEqualTo(401);
        }
        assertThat(http.get("/scim/v2/Users", tenant).statusCode()).isEqualTo(200);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            statuses.add(http.send("POST", "/scim/v2/Users", tenant, "{}").statusCode());
        }
        assertThat(statuses).contains(400, 429).doesNotContain(500);
    }

    @Test
    void aBulkRequestCostsOneRequestPerOperationAndOneOverTheBurstIsOwed() {
        String tenant = IngressHttp.newTenant(dataSource)[1];
        String invalidCreate = "{\"method\":\"POST\",\"path\":\"/Users\",\"data\":{}}";
        String threeOperations = "{\"Operations\":[" + String.join(",", invalidCreate, invalidCreate, invalidCreate) + "]}";
        String eightOperations = "{\"Operations\":[" + String.join(",", java.util.Collections.nCopies(8, invalidCreate)) + "]}";

        HttpResponse<String> first = http.send("POST", "/scim/v2/Bulk", tenant, threeOperations);
        HttpResponse<String> second = http.send("POST", "/scim/v2/Bulk", tenant, threeOperations);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).as("5 tokens: the first bulk took 3").isEqualTo(429);
        assertThat(IngressHttp.json(second).get("status").asString()).isEqualTo("429");
        assertThat(second.headers().firstValue("Retry-After")).isPresent();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> http.send("POST", "/scim/v2/Bulk", tenant, eightOperations).statusCode() == 200);
        assertThat(http.get("/scim/v2/Users", tenant).statusCode()).as("a bulk larger than the burst leaves a debt").isEqualTo(429);
    }
}
