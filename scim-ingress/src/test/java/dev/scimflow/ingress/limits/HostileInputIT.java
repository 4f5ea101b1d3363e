package dev.scimflow.ingress.limits;

import static dev.scimflow.ingress.IngressHttp.json;
import static dev.scimflow.ingress.IngressHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import dev.scimflow.ingress.ScimJson;
import dev.scimflow.scim.UserPatch;

/**
 * Hostile requests against the real ingress (real Tomcat, broker and PostgreSQL): oversized bodies declared and
 * chunked, deep and long JSON, PATCH and filter bombs, odd paging, malformed cursors, oversized headers, bodies that
 * are not JSON by their content type, strings the store cannot hold. Each gets a 4xx SCIM error (also for what Tomcat
 * refuses before any SCIM code runs), never a 500, never an HTML page and never a hang; nothing refused is published.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "scimflow.ingress.outcome-timeout=2s")
class HostileInputIT {

    private static final String PATCH_OP = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[%s]}";
    private static final String SOME_ID = "/scim/v2/Users/2819c223-7f76-453a-919d-413861904646";

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    RequestLimits limits;

    IngressHttp http;
    String token;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        MigratedStore.register(registry);
    }

    @BeforeEach
    void tenant() {
        http = new IngressHttp(port);
        token = IngressHttp.newTenant(dataSource)[1];
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIs413BeforeAuthenticationAndBeforeItIsRead() {
        String big = "{\"userName\":\"" + "a".repeat((int) limits.maxBodySize().toBytes()) + "\"}";

        for (String who : new String[]{token, null}) {
            HttpResponse<String> response = http.send("POST", "/scim/v2/Users", who, big);
            assertScimError(response, 413, null);
        }
    }

    @Test
    void aChunkedBodyIsCountedAsItIsReadAnd413OverTheLimit() {
        byte[] big = ("{\"userName\":\"" + "a".repeat((int) limits.maxBodySize().toBytes()) + "\"}").getBytes();

        for (String method : new String[]{"POST", "PUT", "PATCH"}) {
            String path = method.equals("POST") ? "/scim/v2/Users" : SOME_ID;
            HttpResponse<String> response = http.send(http.request(path, token).header("Content-Type", "application/scim+json")
                    .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
            assertScimError(response, 413, null);
        }
        HttpResponse<String> search = http
                .send(http.request("/scim/v2/Users/.search", token).header("Content-Type", "application/scim+json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertScimError(search, 413, null);
    }

    @Test
    void aBodyJustUnderTheLimitIsReadAndAnswered() {
        String body = "{\"filter\":\"userName pr\",\"pad\":\"" + "p".repeat(60_000) + "\",\"more\":[\""
                + "p".repeat(60_000) + "\",\"" + "p".repeat(60_000) + "\"]}";

        assertThat(http.send("POST", "/scim/v2/Users/.search", token, body).statusCode()).isEqualTo(200);
    }

    @Test
    void aHugeBodyIsRefusedWithoutAHang() {
        byte[] huge = new byte[20 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) '[');
        try {
            HttpResponse<String> response = http.send(http.request("/scim/v2/Users", token).header("Content-Type", "application/scim+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(huge)));
            assertScimError(response, 413, null);
        } catch (java.io.UncheckedIOException closedWhileSending) {
            // Tomcat may close the connection after answering 413 rather than swallow 20 MB: also not a 500
        }
        assertThat(http.get("/scim/v2/Users", token).statusCode()).as("the ingress still answers").isEqualTo(200);
    }

    @Test
    void jsonNestedDeeperThanTheLimitIs400() {
        for (int depth : new int[]{ScimJson.MAX_DEPTH + 1, 100_000}) {
            String nested = "{\"userName\":\"x\",\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            assertScimError(http.send("POST", "/scim/v2/Users", token, nested), 400, "invalidSyntax");
        }
        String objects = "{\"userName\":\"x\",\"a\":" + "{\"a\":".repeat(ScimJson.MAX_DEPTH) + "1" + "}".repeat(ScimJson.MAX_DEPTH) + "}";
        assertScimError(http.send("POST", "/scim/v2/Users", token, objects), 400, "invalidSyntax");
    }

    @Test
    void overlongStringsNumbersAndNamesAre400() {
        List<String> bodies = List.of(
                "{\"userName\":\"" + "u".repeat(ScimJson.MAX_STRING_LENGTH + 1) + "\"}",
                "{\"userName\":\"x\",\"n\":" + "9".repeat(ScimJson.MAX_NUMBER_LENGTH + 1) + "}",
                "{\"userName\":\"x\",\"n\":1" + "0".repeat(ScimJson.MAX_NUMBER_LENGTH) + ".5e99999}",
                "{\"" + "k".repeat(ScimJson.MAX_NAME_LENGTH + 1) + "\":1,\"userName\":\"x\"}");
        for (String body : bodies) {
            for (String method : new String[]{"POST", "PUT", "PATCH"}) {
                String path = method.equals("POST") ? "/scim/v2/Users" : SOME_ID;
                assertScimError(http.send(method, path, token, body), 400, "invalidSyntax");
            }
        }
    }

    @Test
    void bodiesThatAreNotUtf8JsonAre400() {
        HttpResponse<String> response = http.send(http.request("/scim/v2/Users", token).header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers
                        .ofByteArray(new byte[]{'{', '"', 'u', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})));
        assertScimError(response, 400, "invalidSyntax");
        assertScimError(http.send("POST", "/scim/v2/Users", token, "\u0000\u0001"), 400, "invalidSyntax");
        assertScimError(http.send("POST", "/scim/v2/Users", token, "[1,2,3]"), 400, null);
    }

    @Test
    void patchBombsAreRefusedBeforeAnythingIsPublished() {
        String replace = "{\"op\":\"replace\",\"path\":\"title\",\"value\":\"x\"}";
        String filtered = "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"x@example.com\"}";
        String longPath = "{\"op\":\"replace\",\"path\":\"emails[value eq \\\"" + "x".repeat(UserPatch.MAX_PATH_LENGTH)
                + "\\\"].type\",\"value\":\"w\"}";

        assertScimError(
                http.send("PATCH", SOME_ID, token,
                        PATCH_OP.formatted(String.join(",", java.util.Collections.nCopies(UserPatch.MAX_OPERATIONS + 1, replace)))),
                400, "tooMany");
        assertScimError(
                http.send("PATCH", SOME_ID, token,
                        PATCH_OP.formatted(
                                String.join(",", java.util.Collections.nCopies(UserPatch.MAX_FILTERED_OPERATIONS + 1, filtered)))),
                400, "tooMany");
        assertScimError(http.send("PATCH", SOME_ID, token, PATCH_OP.formatted(longPath)), 400, "invalidPath");
        assertScimError(http.send("PATCH", SOME_ID, token,
                PATCH_OP.formatted("{\"op\":\"replace\",\"path\":\"" + "emails[".repeat(100) + "\",\"value\":1}")), 400, null);
    }

    @Test
    void filtersOverTheLimitsAre400InvalidFilterInQueriesAndSearchBodies() {
        String term = "userName eq \"x\"";
        List<String> bombs = List.of(
                "userName eq \"" + "a".repeat(FilterLimits.MAX_LENGTH) + "\"",
                "(".repeat(FilterLimits.MAX_DEPTH + 1) + term + ")".repeat(FilterLimits.MAX_DEPTH + 1),
                "not (".repeat(FilterLimits.MAX_DEPTH + 1) + term + ")".repeat(FilterLimits.MAX_DEPTH + 1),
                "emails[".repeat(FilterLimits.MAX_DEPTH + 1) + "value eq \"x\"" + "]".repeat(FilterLimits.MAX_DEPTH + 1),
                (term + " or ").repeat(FilterLimits.MAX_LOGICAL_OPERATORS + 1) + term);
        for (String filter : bombs) {
            assertScimError(http.get("/scim/v2/Users?filter=" + query(filter), token), 400, "invalidFilter");
            String body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"filter\":"
                    + dev.scimflow.events.EventCodec.mapper().writeValueAsString(filter) + "}";
            assertScimError(http.send("POST", "/scim/v2/Users/.search", token, body), 400, "invalidFilter");
        }
    }

    @Test
    void oddPagingIsCappedOrNormalisedNeverAnError() {
        for (String paging : new String[]{"count=100000000", "count=-5&startIndex=-9", "startIndex=9999999999",
                "count=-9999999999", "startIndex=0&count=0"}) {
            HttpResponse<String> response = http.get("/scim/v2/Users?" + paging, token);
            assertThat(response.statusCode()).as(paging).isEqualTo(200);
            assertThat(json(response).get("itemsPerPage").asInt()).isBetween(0, 1000);
        }
        for (String paging : new String[]{"count=lots", "startIndex=99999999999999999999", "count=1e3"}) {
            assertScimError(http.get("/scim/v2/Users?" + paging, token), 400, "invalidValue");
        }
    }

    @Test
    void aCursorThatThisServiceDidNotIssueIs400() {
        for (String cursor : new String[]{"garbage!", "djE6eDp5", query("v1:1:" + "x".repeat(5000)), "AAAA"}) {
            HttpResponse<String> response = http.get("/scim/v2/Users?cursor=" + cursor, token);
            assertThat(response.statusCode()).as(cursor).isIn(200, 400);
            assertThat(json(response).path("Resources").size()).isZero();
        }
        assertScimError(http.get("/scim/v2/Users?cursor=garbage!", token), 400, "invalidCursor");
    }

    @Test
    void whatTomcatRefusesItselfIsAScimErrorNotAnHtmlPage() {
        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(http.send(http.request("/scim/v2/Users", token).header("X-Padding", "p".repeat(40_000)).GET()));
        responses.add(http.send(http.request("/scim/v2/Users?filter=" + "a".repeat(40_000), token).GET()));
        responses.add(http.send(http.request("/scim/v2/Users", null).header("Authorization", "Bearer " + "t".repeat(40_000)).GET()));
        // a filter nested 5,000 parentheses deep, as a fuzzing client sent it: over Tomcat's request-line limit
        String deep = "(".repeat(5_000) + "userName eq \"x\"" + ")".repeat(5_000);
        responses.add(http.send(http.request("/scim/v2/Users?filter=" + query(deep), token).GET()));
        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).isIn(400, 413, 414, 431);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
            assertThat(json(response).get("status").asString()).isEqualTo(String.valueOf(response.statusCode()));
            assertThat(response.body()).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat");
        }
        assertThat(http.get("/scim/v2/Users", token).statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedRequestTargetIsAScimError() {
        for (String path : new String[]{"/scim/v2/Users/a%00b", "/scim/v2/Users/a%2Fb", "/scim/v2/../../etc/passwd"}) {
            HttpResponse<String> response = http.get(path, token);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(response.headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
            assertThat(json(response).get("status").asString()).isEqualTo(String.valueOf(response.statusCode()));
        }
    }

    @Test
    void aBodyThatIsNotJsonByItsContentTypeIs415() {
        for (String method : new String[]{"POST", "PUT", "PATCH"}) {
            String path = method.equals("POST") ? "/scim/v2/Users" : SOME_ID;
            HttpResponse<String> response = http.send(http.request(path, token).header("Content-Type", "text/plain")
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"userName\":\"plain@example.com\"}")));
            assertScimError(response, 415, null);
        }
        assertScimError(http.send(http.request("/scim/v2/Groups", token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("displayName=x"))), 415, null);
        assertThat(http.send(http.request("/scim/v2/Users/.search", token).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filter\":\"userName pr\"}"))).statusCode()).isEqualTo(200);
    }

    @Test
    void aStringTheStoreCannotHoldIs400AtTheIngress() {
        // PostgreSQL refuses U+0000 in text and jsonb, and UTF-8 has no form for a lone surrogate; without a worker
        // here, a published change would be answered 503
        assertScimError(http.send("POST", "/scim/v2/Users", token, "{\"userName\":\"nul\\u0000@example.com\"}"), 400, "invalidValue");
        assertScimError(http.send("POST", "/scim/v2/Users", token, "{\"userName\":\"half\\ud800@example.com\"}"), 400, "invalidValue");
        assertScimError(http.send("PATCH", SOME_ID, token, PATCH_OP.formatted(
                "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"a\\u0000\"}")), 400, "invalidValue");
        assertScimError(http.send("POST", "/scim/v2/Groups", token, "{\"displayName\":\"G\",\"members\":[{\"value\":\"\\u0000\"}]}"),
                400, "invalidValue");
        assertScimError(http.get("/scim/v2/Users?filter=" + query("userName eq \"a\u0000\""), token), 400, "invalidFilter");
        assertScimError(http.get("/scim/v2/Users?sortBy=" + query("title\u0000"), token), 400, "invalidValue");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        List<HttpResponse<String>> answers = List.of(
                http.get("/scim/v2/Users", token),
                http.get("/scim/v2/Users", null),
                http.get(SOME_ID, token),
                http.send("POST", "/scim/v2/Users", token, "{"),
                http.get("/scim/v2/ServiceProviderConfig", token));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
    }

    private static void assertScimError(HttpResponse<String> response, int status, String scimType) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
        var body = json(response);
        assertThat(body.get("status").asString()).isEqualTo(String.valueOf(status));
        if (scimType != null) {
            assertThat(body.get("scimType").asString()).isEqualTo(scimType);
        }
    }
}
