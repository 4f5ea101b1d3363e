package dev.scimflow.ingress.bulk;

import static dev.scimflow.ingress.IngressHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Topics;
import dev.scimflow.ingress.IngressHttp;
import dev.scimflow.ingress.MigratedStore;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /Bulk} at the ingress alone (no worker): the limits of RFC 7644 §3.7.4, and the operations the ingress
 * answers itself — circular and unresolvable bulkId references, invalid data, wrong paths, {@code failOnErrors} — each
 * with its own SCIM error and without publishing anything. What the pipeline does with valid operations is pinned by
 * the system tests ({@code BulkIT}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "scimflow.ingress.outcome-timeout=2s")
class BulkIngressIT {

    private static final String BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    IngressHttp http;
    String tenant;
    String token;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        MigratedStore.register(registry);
    }

    @BeforeEach
    void tenant() {
        http = new IngressHttp(port);
        String[] tenantAndToken = IngressHttp.newTenant(dataSource);
        tenant = tenantAndToken[0];
        token = tenantAndToken[1];
    }

    private HttpResponse<String> bulk(String body) {
        return http.send("POST", "/scim/v2/Bulk", token, body);
    }

    private static String request(String operations) {
        return "{\"schemas\":[\"" + BULK + "\"],\"Operations\":[" + operations + "]}";
    }

    private static String createUser(String bulkId) {
        return """
                {"method":"POST","path":"/Users","bulkId":"%s","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s@example.com"}}"""
                .formatted(bulkId, bulkId);
    }

    @Test
    void moreOperationsThanMaxOperationsIs413NamingTheLimit() {
        String operations = IntStream.range(0, 1001).mapToObj(i -> createUser("u" + i)).collect(Collectors.joining(","));

        HttpResponse<String> response = bulk(request(operations));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
        assertThat(json(response).get("status").asString()).isEqualTo("413");
        assertThat(json(response).get("detail").asString()).contains("maxOperations is 1000");
    }

    @Test
    void aBodyOverMaxPayloadSizeIs413NamingTheLimit() {
        String padding = "x".repeat(60_000);
        String operations = IntStream.range(0, 18).mapToObj(i -> """
                {"method":"POST","path":"/Users","bulkId":"u%d","data":{"userName":"u%d","title":"%s"}}""".formatted(i, i, padding))
                .collect(Collectors.joining(","));

        HttpResponse<String> response = bulk(request(operations));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("status").asString()).isEqualTo("413");
        assertThat(json(response).get("detail").asString()).contains("maxPayloadSize").contains("1048576");
    }

    @Test
    void eachOperationTheIngressRefusesIsAnsweredWithItsOwnErrorAndNothingIsPublished() {
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            HttpResponse<String> response = bulk(request("""
                    {"method":"POST","path":"/Groups","bulkId":"a","data":{"displayName":"A","members":[{"value":"bulkId:b"}]}},
                    {"method":"POST","path":"/Groups","bulkId":"b","data":{"displayName":"B","members":[{"value":"bulkId:a"}]}},
                    {"method":"POST","path":"/Groups","bulkId":"c","data":{"displayName":"C","members":[{"value":"bulkId:nobody"}]}},
                    {"method":"POST","path":"/Users","bulkId":"d","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}},
                    {"method":"PATCH","path":"/Users/bulkId:a","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                      "Operations":[{"op":"replace","path":"active","value":false}]}},
                    {"method":"DELETE","path":"/Users/010101001010101011001010101011"},
                    {"method":"PUT","path":"/Things/1","data":{}},
                    {"method":"GET","path":"/Users"},
                    {"method":"PATCH","path":"/Users/1b4e28ba-2fa1-11d2-883f-0016d3cca427"}"""));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.at("/schemas/0").asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
            JsonNode results = body.get("Operations");
            assertThat(results).hasSize(9);
            assertThat(results.valueStream().map(r -> r.get("status").asString()))
                    .containsExactly("409", "409", "400", "400", "409", "404", "404", "400", "400");
            assertThat(results.get(0).get("bulkId").asString()).isEqualTo("a");
            assertThat(results.get(0).get("method").asString()).isEqualTo("POST");
            assertThat(results.get(0).has("location")).as("a failed POST has no location").isFalse();
            assertThat(results.get(0).at("/response/detail").asString()).contains("circular");
            assertThat(results.get(0).at("/response/schemas/0").asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
            assertThat(results.get(0).at("/response/status").asString()).isEqualTo("409");
            assertThat(results.get(2).at("/response/scimType").asString()).isEqualTo("invalidValue");
            assertThat(results.get(3).at("/response/scimType").asString()).isEqualTo("invalidValue");
            assertThat(results.get(4).at("/response/detail").asString()).contains("bulkId:a");
            assertThat(results.get(5).get("location").asString()).endsWith("/scim/v2/Users/010101001010101011001010101011");
            assertThat(results.get(8).at("/response/scimType").asString()).isEqualTo("invalidSyntax");
            // an operation that was published would have waited for the worker, which is not running here, and been a 503
            assertThat(changes.records(r -> r.key().startsWith(tenant + ":"))).isEmpty();
        }
    }

    @Test
    void failOnErrorsStopsAfterThatManyErrorsAndAnswersTheOperationsPerformed() {
        HttpResponse<String> response = bulk("""
                {"schemas":["%s"],"failOnErrors":2,"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"x","data":{"displayName":"no userName"}},
                  {"method":"DELETE","path":"/Users/not-an-id"},
                  %s]}""".formatted(BULK, createUser("never")));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = json(response).get("Operations");
        assertThat(results.valueStream().map(r -> r.get("status").asString())).containsExactly("400", "404");
    }

    @Test
    void aMalformedBulkRequestIsRefusedAsAWhole() {
        HttpResponse<String> notJson = bulk("{\"Operations\":");
        HttpResponse<String> noOperations = bulk("{\"schemas\":[\"" + BULK + "\"]}");
        HttpResponse<String> sameBulkIdTwice = bulk(request(createUser("a") + "," + createUser("a")));
        HttpResponse<String> get = http.get("/scim/v2/Bulk", token);

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("scimType").asString()).isEqualTo("invalidSyntax");
        assertThat(noOperations.statusCode()).isEqualTo(400);
        assertThat(sameBulkIdTwice.statusCode()).isEqualTo(400);
        assertThat(json(sameBulkIdTwice).get("scimType").asString()).isEqualTo("invalidValue");
        assertThat(get.statusCode()).isEqualTo(405);
    }
}
