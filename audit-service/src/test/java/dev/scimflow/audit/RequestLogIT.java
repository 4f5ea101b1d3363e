package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.scimflow.audit.requests.RequestLogRetention;
import dev.scimflow.events.ScimRequest;
import dev.scimflow.events.Topics;
import tools.jackson.databind.JsonNode;

/**
 * The request log from {@code scim.requests} to the operator API: entries are stored as the ingress sent them,
 * listed newest first with the API's filters and paging, and pruned by age and by count per tenant.
 */
class RequestLogIT extends RunningAuditService {

    private static final String LIST = "/api/v1/requests";
    private static final Instant T0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    RequestLogRetention retention;

    static ScimRequest entry(String tenant, int secondsAfter, String method, String path, int status, String scimType,
                             String detail, String requestId) {
        return new ScimRequest(tenant, T0.plusSeconds(secondsAfter), "Microsoft.Azure.ActiveDirectory", method, path, status,
                scimType, detail, 7, requestId);
    }

    private static List<String> requestIds(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("requestId").asString()));
        return ids;
    }

    @Test
    void aTenantsRequestsAreListedNewestFirstWithTheirScimErrorsAndFiltered() throws Exception {
        String tenant = uniqueTenant("requests");
        String other = uniqueTenant("requests-other");
        publish(entry(tenant, 1, "GET", "/scim/v2/Users?filter", 200, null, null, "r-1"));
        publish(entry(tenant, 2, "PATCH", "/scim/v2/Users/42", 400, "invalidPath", "no attribute favouriteColour", "r-2"));
        publish(new ProducerRecord<>(Topics.REQUESTS, tenant, "not json".getBytes(StandardCharsets.UTF_8)));
        publish(entry(tenant, 3, "GET", "/scim/v2/Users/43", 404, null, "no such resource", "r-3"));
        publish(entry(other, 4, "GET", "/scim/v2/Users/44", 404, null, "no such resource", "r-4"));
        publish(entry(tenant, 5, "POST", "/scim/v2/Users", 201, null, null, "r-5"));

        JsonNode all = awaitRequests(tenant, 4);
        assertThat(requestIds(all)).as("newest first, the undecodable record passed over").containsExactly("r-5", "r-3", "r-2", "r-1");
        JsonNode failedPatch = all.get(2);
        assertThat(failedPatch.get("method").asString()).isEqualTo("PATCH");
        assertThat(failedPatch.get("path").asString()).isEqualTo("/scim/v2/Users/42");
        assertThat(failedPatch.get("status").asInt()).isEqualTo(400);
        assertThat(failedPatch.get("scimType").asString()).isEqualTo("invalidPath");
        assertThat(failedPatch.get("detail").asString()).isEqualTo("no attribute favouriteColour");
        assertThat(failedPatch.get("client").asString()).isEqualTo("Microsoft.Azure.ActiveDirectory");
        assertThat(failedPatch.get("latencyMs").asLong()).isEqualTo(7);
        assertThat(Instant.parse(failedPatch.get("at").asString())).isEqualTo(T0.plusSeconds(2));

        assertThat(requestIds(api(LIST + "?tenant=" + tenant + "&status=4xx").get("items"))).containsExactly("r-3", "r-2");
        assertThat(requestIds(api(LIST + "?tenant=" + tenant + "&status=404").get("items"))).containsExactly("r-3");
        assertThat(requestIds(api(LIST + "?tenant=" + tenant + "&method=patch").get("items"))).containsExactly("r-2");
        assertThat(requestIds(api(LIST + "?requestId=r-4").get("items"))).containsExactly("r-4");
        assertThat(requestIds(api(LIST + "?tenant=" + tenant + "&from=" + T0.plusSeconds(2) + "&to=" + T0.plusSeconds(5))
                .get("items"))).containsExactly("r-3", "r-2");
    }

    @Test
    void pagesFollowTheCursorWithoutRepeatingOrSkipping() throws Exception {
        String tenant = uniqueTenant("requests-paged");
        for (int i = 1; i <= 5; i++) {
            publish(entry(tenant, i, "GET", "/scim/v2/Users", 200, null, null, "p-" + i));
        }
        awaitRequests(tenant, 5);

        JsonNode first = api(LIST + "?tenant=" + tenant + "&limit=2");
        JsonNode second = api(LIST + "?tenant=" + tenant + "&limit=2&cursor=" + first.get("nextCursor").asString());
        JsonNode third = api(LIST + "?tenant=" + tenant + "&limit=2&cursor=" + second.get("nextCursor").asString());

        assertThat(requestIds(first.get("items"))).containsExactly("p-5", "p-4");
        assertThat(requestIds(second.get("items"))).containsExactly("p-3", "p-2");
        assertThat(requestIds(third.get("items"))).containsExactly("p-1");
        assertThat(third.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void theApiNeedsTheOperatorTokenAndRefusesAnUnknownStatusFilter() throws Exception {
        HttpResponse<String> anonymous = get(LIST, null);
        HttpResponse<String> badStatus = get(LIST + "?status=4x", "Bearer " + OPERATOR_TOKEN);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.body()).contains("status class");
    }

    @Test
    void entriesOlderThanTheMaximumAgeAndBeyondTheCountPerTenantArePruned() throws Exception {
        String tenant = uniqueTenant("requests-pruned");
        Instant now = Instant.now();
        publish(new ScimRequest(tenant, now.minus(Duration.ofDays(8)), null, "GET", "/scim/v2/Users", 200, null, null, 1, "old"));
        for (int i = 1; i <= 4; i++) {
            publish(new ScimRequest(tenant, now.minusSeconds(10 - i), null, "GET", "/scim/v2/Users", 200, null, null, 1, "new-" + i));
        }
        awaitRequests(tenant, 5);

        long removed = retention.prune(now, Duration.ofDays(7), 3);

        assertThat(removed).isGreaterThanOrEqualTo(2);
        assertThat(requestIds(api(LIST + "?tenant=" + tenant).get("items"))).containsExactly("new-4", "new-3", "new-2");
    }
}
