package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.util.Comparator;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import tools.jackson.databind.JsonNode;

/** The operator API answers only operators, filters by tenant and userName, and keeps probes and metrics open. */
class OperatorApiIT extends RunningAuditService {

    private static final String LIST = "/api/v1/deactivations";

    private void deactivate(String tenant, String userId, String userName) throws Exception {
        publish(event(tenant, userId, EventType.PATCHED, user(userId, userName, true, null), user(userId, userName, false, null)));
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("json");
        assertThat(EventCodec.mapper().readTree(response.body()).get("status").asInt()).isEqualTo(401);
    }

    @Test
    void aRequestWithoutATokenIsRefused() throws Exception {
        assertUnauthorized(get(LIST, null));
        assertUnauthorized(get(LIST + "/1", null));
        assertUnauthorized(get(LIST, "Basic b3BlcmF0b3I6c2VjcmV0"));
    }

    @Test
    void aScimTenantTokenOrAnyOtherWrongTokenIsRefused() throws Exception {
        assertUnauthorized(get(LIST, "Bearer scim-acme-8f3e2c1d9b7a6f5e4d3c2b1a"));
        assertUnauthorized(get(LIST, "Bearer " + sha256Hex(OPERATOR_TOKEN)));
        assertUnauthorized(get(LIST, "Bearer " + OPERATOR_TOKEN + "x"));
    }

    @Test
    void theOperatorTokenIsAcceptedWhateverTheCaseOfTheScheme() throws Exception {
        for (String scheme : new String[]{"Bearer", "bearer", "BEARER"}) {
            HttpResponse<String> response = get(LIST + "?limit=1", scheme + " " + OPERATOR_TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        }
        assertThat(get(LIST + "?limit=1", "Bearer another-operator").statusCode()).isEqualTo(200);
    }

    @Test
    void theTenantFilterShowsOnlyThatTenantsEntriesNewestFirst() throws Exception {
        String acme = uniqueTenant("acme");
        String globex = uniqueTenant("globex");
        deactivate(acme, "a-1", "first@acme.example");
        deactivate(globex, "g-1", "someone@globex.example");
        deactivate(acme, "a-1", "first@acme.example");
        deactivate(acme, "a-2", "second@acme.example");
        await().atMost(PATIENCE).until(() -> deactivationsOf(acme).size() == 3 && deactivationsOf(globex).size() == 1);

        JsonNode page = api(LIST + "?tenant=" + acme);
        assertThat(page.get("count").asInt()).isEqualTo(3);
        assertThat(page.get("items")).allSatisfy(item -> assertThat(item.get("tenant").asString()).isEqualTo(acme));
        assertThat(page.get("items")).extracting(item -> item.get("changedAt").asString()).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(api(LIST + "?tenant=" + acme + "&limit=2").get("items")).hasSize(2);
    }

    @Test
    void theUserNameFilterMatchesWithoutRegardToCase() throws Exception {
        String tenant = uniqueTenant("names");
        deactivate(tenant, "n-1", "Kim@Example.com");
        deactivate(tenant, "n-2", "lee@example.com");
        await().atMost(PATIENCE).until(() -> deactivationsOf(tenant).size() == 2);

        JsonNode items = api(LIST + "?tenant=" + tenant + "&userName=kim@example.com").get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("userId").asString()).isEqualTo("n-1");
        assertThat(api(LIST + "?tenant=" + tenant + "&userName=nobody@example.com").get("count").asInt()).isZero();
    }

    @Test
    void anUnknownIdIsAJsonNotFound() throws Exception {
        for (String id : new String[]{"999999999", "not-an-id"}) {
            HttpResponse<String> response = get(LIST + "/" + id, "Bearer " + OPERATOR_TOKEN);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("json");
            assertThat(EventCodec.mapper().readTree(response.body()).get("status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void aLimitBelowOneIsABadRequest() throws Exception {
        assertThat(get(LIST + "?limit=0", "Bearer " + OPERATOR_TOKEN).statusCode()).isEqualTo(400);
        assertThat(get(LIST + "?limit=many", "Bearer " + OPERATOR_TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode components = EventCodec.mapper().readTree(readiness.body()).get("components");
        assertThat(components.propertyNames()).contains("readinessState", "db", "kafka");
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyDeactivationRecordedIsTimedAsTheAuditLag() throws Exception {
        double before = metric("scimflow_audit_lag_seconds_count");
        String tenant = uniqueTenant("lag");
        deactivate(tenant, "l-1", "late@lag.example");
        await().atMost(PATIENCE).until(() -> deactivationsOf(tenant).size() == 1);

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(metric("scimflow_audit_lag_seconds_count")).isGreaterThanOrEqualTo(before + 1));
        assertThat(metric("scimflow_audit_lag_seconds_bucket{le=\"+Inf\"")).as("a histogram").isGreaterThanOrEqualTo(before + 1);
    }

    /** The value of the first sample at {@code /actuator/prometheus} whose line starts with {@code sample}; 0 when none. */
    private double metric(String sample) throws Exception {
        for (String line : get("/actuator/prometheus", null).body().split("\n")) {
            if (line.startsWith(sample)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
