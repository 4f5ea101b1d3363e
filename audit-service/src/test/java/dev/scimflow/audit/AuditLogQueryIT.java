package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;

/** Operators find entries by every filter, page through them with cursors, export them as CSV and read the API's description. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogQueryIT extends RunningAuditService {

    private static final String LIST = "/api/v1/deactivations";
    private static final String OKTA = "Okta SCIM Client";
    private static final String ENTRA = "Microsoft Azure AD SCIM";

    private final String tenant = uniqueTenant("filters");
    private ScimEvent ada;
    private ScimEvent bob;
    private ScimEvent cy;
    private ScimEvent adaBack;

    @BeforeAll
    void fourChangesOfAccess() throws Exception {
        ada = deactivate(tenant, "u-1", "ada@example.com", OKTA, Instant.parse("2026-01-10T10:00:00Z"));
        bob = event(tenant, "u-2", EventType.REPLACED, user("u-2", "bob@example.com", true, "Bob"),
                user("u-2", "bob@example.com", false, "Bob"), ENTRA, Instant.parse("2026-02-10T10:00:00Z"));
        publish(bob);
        cy = event(tenant, "u-3", EventType.DELETED, user("u-3", "cy@example.com", true, "Cy"), null, OKTA,
                Instant.parse("2026-03-10T10:00:00Z"));
        publish(cy);
        adaBack = event(tenant, "u-1", EventType.PATCHED, user("u-1", "ada@example.com", false, null),
                user("u-1", "ada@example.com", true, null), OKTA, Instant.parse("2026-03-11T10:00:00Z"));
        publish(adaBack);
        awaitDeactivations(tenant, 4);
    }

    private List<String> eventIds(String filters) throws Exception {
        List<String> ids = new ArrayList<>();
        api(LIST + "?tenant=" + tenant + filters).get("items").forEach(item -> ids.add(item.get("eventId").asString()));
        return ids;
    }

    private static String id(ScimEvent event) {
        return event.eventId().toString();
    }

    @Test
    void withoutOtherFiltersATenantsEntriesComeNewestFirstByTimeOfChange() throws Exception {
        assertThat(eventIds("")).containsExactly(id(adaBack), id(cy), id(bob), id(ada));
    }

    @Test
    void theUserNameFilterIgnoresCase() throws Exception {
        assertThat(eventIds("&userName=ADA@Example.com")).containsExactly(id(adaBack), id(ada));
    }

    @Test
    void theActionFilterSeparatesDeactivationsFromReactivations() throws Exception {
        assertThat(eventIds("&action=REACTIVATED")).containsExactly(id(adaBack));
        assertThat(eventIds("&action=deactivated")).containsExactly(id(cy), id(bob), id(ada));
    }

    @Test
    void theCauseFilterNamesTheScimRequest() throws Exception {
        assertThat(eventIds("&cause=PUT")).containsExactly(id(bob));
        assertThat(eventIds("&cause=DELETE")).containsExactly(id(cy));
        assertThat(eventIds("&cause=PATCH")).containsExactly(id(adaBack), id(ada));
        assertThat(eventIds("&cause=PATCH&action=DEACTIVATED")).containsExactly(id(ada));
    }

    @Test
    void theIdpFilterMatchesTheClientNameIgnoringCase() throws Exception {
        assertThat(eventIds("&clientName=microsoft%20azure%20ad%20scim")).containsExactly(id(bob));
        assertThat(eventIds("&clientName=" + OKTA.replace(" ", "+"))).containsExactly(id(adaBack), id(cy), id(ada));
    }

    @Test
    void theTimeRangeIsOnTheTimeOfChangeWithDatesCoveringWholeDays() throws Exception {
        assertThat(eventIds("&from=2026-02-01")).containsExactly(id(adaBack), id(cy), id(bob));
        assertThat(eventIds("&to=2026-02-10")).containsExactly(id(bob), id(ada));
        assertThat(eventIds("&from=2026-02-10T10:00:00Z&to=2026-03-10T10:00:00Z")).as("from inclusive, to exclusive")
                .containsExactly(id(bob));
    }

    @Test
    void anEntryCarriesEveryFieldOperatorsAskFor() throws Exception {
        JsonNode entry = api(LIST + "?tenant=" + tenant + "&cause=PUT").get("items").get(0);
        assertThat(entry.get("id").asString()).isEqualTo(id(bob));
        assertThat(entry.get("userId").asString()).isEqualTo("u-2");
        assertThat(entry.get("userName").asString()).isEqualTo("bob@example.com");
        assertThat(entry.get("displayName").asString()).isEqualTo("Bob");
        assertThat(entry.get("clientName").asString()).isEqualTo(ENTRA);
        assertThat(entry.get("tokenId").asString()).isEqualTo("token-" + tenant);
        assertThat(entry.get("requestId").asString()).isEqualTo(bob.requestId());
        assertThat(entry.get("changeId").asString()).isEqualTo(bob.changeId().toString());
        assertThat(entry.get("changedAt").asString()).isEqualTo("2026-02-10T10:00:00Z");
        assertThat(entry.get("recordedAt").asString()).as("the event's appliedAt").isEqualTo("2026-02-10T10:00:01Z");
    }

    @Test
    void cursorsPageThroughEveryEntryOnceEvenWhileNewOnesArrive() throws Exception {
        String paged = uniqueTenant("paging");
        Instant start = Instant.parse("2026-04-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            deactivate(paged, "p-" + i, "user" + i + "@example.com", OKTA, start.plusSeconds(60L * i));
        }
        List<String> all = new ArrayList<>();
        awaitDeactivations(paged, 7).forEach(item -> all.add(item.get("id").asString()));

        JsonNode first = api(LIST + "?tenant=" + paged + "&limit=3");
        assertThat(first.get("count").asInt()).isEqualTo(3);
        ScimEvent newer = deactivate(paged, "p-new", "newcomer@example.com", OKTA, start.plusSeconds(3600));
        await().atMost(PATIENCE).until(() -> deactivationsOf(paged).size() == 8);

        JsonNode second = api(LIST + "?tenant=" + paged + "&limit=3&cursor=" + first.get("nextCursor").asString());
        JsonNode third = api(LIST + "?tenant=" + paged + "&limit=3&cursor=" + second.get("nextCursor").asString());
        assertThat(third.get("count").asInt()).isEqualTo(1);
        assertThat(third.get("nextCursor").isNull()).as("the last page has no next").isTrue();
        List<String> pagedIds = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.get("items").forEach(item -> pagedIds.add(item.get("id").asString()));
        }
        assertThat(pagedIds).isEqualTo(all).doesNotContain(newer.eventId().toString());
        assertThat(api(LIST + "?tenant=" + paged + "&limit=3").get("items").get(0).get("id").asString())
                .isEqualTo(newer.eventId().toString());
    }

    @Test
    void aCursorThisServiceDidNotHandOutIsABadRequest() throws Exception {
        HttpResponse<String> response = get(LIST + "?cursor=forged", "Bearer " + OPERATOR_TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("problem+json");
    }

    @Test
    void unknownFilterValuesAreBadRequests() throws Exception {
        for (String query : new String[]{"?cause=POST", "?action=SUSPENDED", "?from=yesterday", "?from=2026-03-02&to=2026-03-01"}) {
            assertThat(get(LIST + query, "Bearer " + OPERATOR_TOKEN).statusCode()).as(query).isEqualTo(400);
        }
    }

    private HttpResponse<String> csv(String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN).header("Accept", "text/csv").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptTextCsvExportsTheSameQueryWithAHeaderRow() throws Exception {
        HttpResponse<String> response = csv(LIST + "?tenant=" + tenant + "&action=DEACTIVATED&limit=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
        assertThat(response.headers().firstValue("Content-Disposition")).get().asString().contains("deactivations.csv");
        String[] lines = response.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,tenant,userId,userName,displayName,action,cause,clientName,tokenId,requestId,"
                + "changeId,eventId,changedAt,recordedAt");
        assertThat(lines).as("every matching entry, not one page").hasSize(4);
        assertThat(lines[1]).isEqualTo(String.join(",", id(cy), tenant, "u-3", "cy@example.com", "Cy", "DEACTIVATED",
                "DELETE", OKTA, "token-" + tenant, cy.requestId(), cy.changeId().toString(), id(cy),
                "2026-03-10T10:00:00Z", "2026-03-10T10:00:01Z"));
        assertThat(lines[3]).startsWith(id(ada) + ",");
    }

    @Test
    void theCsvQuotesWhatNeedsQuotingAndDefusesFormulas() throws Exception {
        String hostile = uniqueTenant("csv");
        var before = user("h-1", "=HYPERLINK(\"http://evil.example\",\"x\")", true, "Lovelace, \"Ada\"");
        var after = user("h-1", "=HYPERLINK(\"http://evil.example\",\"x\")", false, "Lovelace, \"Ada\"");
        publish(event(hostile, "h-1", EventType.PATCHED, before, after, "@evil-client", Instant.parse("2026-03-04T00:00:00Z")));
        awaitDeactivations(hostile, 1);

        String row = csv(LIST + "?tenant=" + hostile).body().split("\r\n")[1];
        assertThat(row).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",")
                .contains(",\"Lovelace, \"\"Ada\"\"\",")
                .contains(",'@evil-client,");
    }

    @Test
    void aBadCsvQueryIsAJsonProblemNotAFile() throws Exception {
        HttpResponse<String> response = csv(LIST + "?cause=POST");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("problem+json");
    }

    @Test
    void theOpenApiDescriptionIsServedWithoutTokenAndDescribesTheApi() throws Exception {
        HttpResponse<String> yaml = get("/api/v1/openapi.yaml", null);
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.body()).contains("openapi: 3").contains("/api/v1/deactivations:")
                .contains("/api/v1/deactivations/{id}:").contains("/api/v1/chain/verify:").contains("text/csv")
                .contains("scheme: bearer");

        JsonNode description = EventCodec.mapper().readTree(get("/api/v1/openapi", null).body());
        assertThat(description.get("paths").propertyNames())
                .containsExactlyInAnyOrder("/api/v1/deactivations", "/api/v1/deactivations/{id}", "/api/v1/chain/verify",
                        "/api/v1/requests");
        List<String> requestParameters = new ArrayList<>();
        description.get("paths").get("/api/v1/requests").get("get").get("parameters")
                .forEach(parameter -> requestParameters.add(parameter.get("name").asString()));
        assertThat(requestParameters).containsExactlyInAnyOrder("tenant", "status", "method", "requestId", "from", "to",
                "cursor", "limit");
        List<String> parameters = new ArrayList<>();
        description.get("paths").get("/api/v1/deactivations").get("get").get("parameters")
                .forEach(parameter -> parameters.add(parameter.get("name").asString()));
        assertThat(parameters).containsExactlyInAnyOrder("tenant", "userName", "action", "cause", "clientName", "from",
                "to", "cursor", "limit");
        assertThat(description.get("paths").get("/api/v1/deactivations").get("get").get("responses").get("200")
                .get("content").propertyNames()).contains("application/json", "text/csv");
    }
}
