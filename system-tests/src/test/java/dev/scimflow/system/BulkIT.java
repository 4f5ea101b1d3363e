package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.OutcomeHeaders;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.Topics;
import dev.scimflow.system.ScimHttp.Answer;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /Bulk} (RFC 7644 §3.7) through the real pipeline, with the bodies IdPs and strict clients send: each
 * operation is a change like a request of its own (the worker's outcome per operation, audited the same), bulkId
 * references forwards and backwards, in paths and in group members, operations on one resource in request order,
 * {@code failOnErrors}, a retried bulk with its {@code Idempotency-Key}, tenant isolation, and an asynchronous bulk
 * (RFC 9967 §2.5.1.2) whose operations' outcomes are published for the tenant's streams under the bulk's txn.
 */
class BulkIT {

    private static final String BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final Pipeline pipeline = Pipeline.get();
    private Pipeline.Tenant tenant;
    private ScimHttp idp;

    @BeforeEach
    void tenant() {
        tenant = pipeline.newTenant();
        idp = new ScimHttp(pipeline.scimBaseUrl, tenant.token(), "bulk-idp");
    }

    private static String bulk(String operations) {
        return bulk(null, operations);
    }

    private static String bulk(Integer failOnErrors, String operations) {
        return "{\"schemas\":[\"" + BULK + "\"]," + (failOnErrors == null ? "" : "\"failOnErrors\":" + failOnErrors + ",")
                + "\"Operations\":[" + operations + "]}";
    }

    private static String createUser(String bulkId, String userName) {
        return """
                {"method":"POST","path":"/Users","bulkId":"%s","data":{"schemas":["%s"],"userName":"%s","active":true}}"""
                .formatted(bulkId, USER, userName);
    }

    private static String deactivate(String path) {
        return """
                {"method":"PATCH","path":"%s","data":{"schemas":["%s"],"Operations":[{"op":"replace","value":{"active":false}}]}}"""
                .formatted(path, PATCH);
    }

    private Answer post(String body) {
        Answer answer = idp.post("/Bulk", body);
        assertThat(answer.status()).as("bulk answered %s", answer.body()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/scim+json");
        assertThat(answer.body().at("/schemas/0").asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
        return answer;
    }

    private static List<String> statuses(Answer answer) {
        return answer.body().get("Operations").valueStream().map(result -> result.get("status").asString()).toList();
    }

    private static String idOf(JsonNode result) {
        String location = result.get("location").asString();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    void rfcExampleCreatesAUserAndAGroupWithItAsMemberThenReplacesPatchesAndDeletes() {
        String existing = idp.post("/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"old@example.com\"}").body().get("id")
                .asString();

        Answer answer = post(
                bulk("""
                        {"method":"POST","path":"/Users","bulkId":"qwerty","data":{"schemas":["%s"],"userName":"Alice","name":{"givenName":"Alice"}}},
                        {"method":"POST","path":"/Groups","bulkId":"ytrewq","data":{"schemas":["%s"],"displayName":"Tour Guides",
                          "members":[{"type":"User","value":"bulkId:qwerty"}]}},
                        {"method":"PUT","path":"/Users/%s","version":"W/\\"1\\"","data":{"schemas":["%s"],"userName":"old@example.com","displayName":"Replaced"}},
                        {"method":"PATCH","path":"/Groups/bulkId:ytrewq","data":{"schemas":["%s"],"Operations":[{"op":"replace","path":"displayName","value":"Guides"}]}},
                        {"method":"DELETE","path":"/Users/%s","version":"W/\\"2\\""}"""
                        .formatted(USER, GROUP, existing, USER, PATCH, existing)));

        assertThat(statuses(answer)).containsExactly("201", "201", "200", "200", "204");
        JsonNode results = answer.body().get("Operations");
        assertThat(results.get(0).get("method").asString()).isEqualTo("POST");
        assertThat(results.get(0).get("bulkId").asString()).isEqualTo("qwerty");
        assertThat(results.get(0).get("version").asString()).isEqualTo("W/\"1\"");
        assertThat(results.get(0).get("location").asString()).startsWith(pipeline.scimBaseUrl + "/Users/");
        assertThat(results.get(0).has("response")).isFalse();
        assertThat(results.get(2).get("version").asString()).isEqualTo("W/\"2\"");
        assertThat(results.get(2).get("location").asString()).isEqualTo(pipeline.scimBaseUrl + "/Users/" + existing);
        assertThat(results.get(3).get("location").asString()).isEqualTo(results.get(1).get("location").asString());
        assertThat(results.get(3).get("version").asString()).isEqualTo("W/\"2\"");
        String alice = idOf(results.get(0));
        Answer group = idp.get("/Groups/" + idOf(results.get(1)));
        assertThat(group.body().get("displayName").asString()).isEqualTo("Guides");
        assertThat(group.body().at("/members/0/value").asString()).isEqualTo(alice);
        assertThat(idp.get("/Users/" + alice).body().at("/groups/0/display").asString()).isEqualTo("Guides");
        assertThat(idp.get("/Users/" + existing).status()).isEqualTo(404);
    }

    @Test
    void aGroupNamingUsersCreatedLaterInTheRequestGetsThemAsMembers() {
        Answer answer = post(bulk("""
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["%s"],"displayName":"Forward",
                  "members":[{"value":"bulkId:u1"},{"value":"bulkId:u2"}]}},
                %s,%s""".formatted(GROUP, createUser("u1", "u1@example.com"), createUser("u2", "u2@example.com"))));

        assertThat(statuses(answer)).containsExactly("201", "201", "201");
        JsonNode results = answer.body().get("Operations");
        Answer group = idp.get("/Groups/" + idOf(results.get(0)));
        assertThat(group.body().get("members").valueStream().map(member -> member.get("value").asString()))
                .containsExactlyInAnyOrder(idOf(results.get(1)), idOf(results.get(2)));
    }

    @Test
    void circularReferencesAre409ForTheOperationsInvolvedAndTheOthersArePerformed() {
        Answer answer = post(bulk("""
                {"method":"POST","path":"/Groups","bulkId":"a","data":{"displayName":"A","members":[{"type":"Group","value":"bulkId:b"}]}},
                {"method":"POST","path":"/Groups","bulkId":"b","data":{"displayName":"B","members":[{"type":"Group","value":"bulkId:a"}]}},
                %s""".formatted(createUser("c", "c@example.com"))));

        assertThat(statuses(answer)).containsExactly("409", "409", "201");
        assertThat(answer.body().at("/Operations/0/response/detail").asString()).contains("circular");
        assertThat(idp.get("/Groups?filter=" + ScimHttp.query("displayName eq \"A\"")).body().get("totalResults").asInt()).isZero();
    }

    @Test
    void eachOperationIsAnsweredWithItsOwnStatusAndScimError() {
        String taken = idp.post("/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"taken@example.com\"}").body().get("id")
                .asString();

        Answer answer = post(
                bulk("""
                        %s,
                        {"method":"PATCH","path":"/Users/%s","data":{"schemas":["%s"],"Operations":[{"op":"replace","path":"active","value":false}]}},
                        {"method":"PUT","path":"/Users/%s","version":"W/\\"7\\"","data":{"schemas":["%s"],"userName":"taken@example.com"}},
                        {"method":"POST","path":"/Users","bulkId":"bad","data":{"schemas":["%s"],"userName":"bad@example.com","role":"emperor"}},
                        {"method":"PATCH","path":"/Users/%s","data":{"schemas":["%s"],"Operations":[{"op":"replace","path":"favouriteColour","value":"green"}]}},
                        %s"""
                        .formatted(createUser("dup", "TAKEN@example.com"), UUID.randomUUID(), PATCH, taken, USER, USER, taken, PATCH,
                                createUser("ok", "ok@example.com"))));

        assertThat(statuses(answer)).containsExactly("409", "404", "412", "400", "400", "201");
        JsonNode results = answer.body().get("Operations");
        assertThat(results.get(0).at("/response/scimType").asString()).isEqualTo("uniqueness");
        assertThat(results.get(0).at("/response/status").asString()).isEqualTo("409");
        assertThat(results.get(0).has("location")).isFalse();
        assertThat(results.get(1).at("/response/schemas/0").asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(results.get(2).get("location").asString()).isEqualTo(pipeline.scimBaseUrl + "/Users/" + taken);
        assertThat(results.get(3).at("/response/scimType").asString()).isEqualTo("invalidValue");
        assertThat(results.get(4).at("/response/scimType").asString()).isEqualTo("invalidPath");
        assertThat(idp.get("/Users/" + taken).header("ETag")).isEqualTo("W/\"1\"");
    }

    @Test
    void failOnErrorsStopsTheBulkAndLaterOperationsAreNotPerformed() {
        idp.post("/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"first@example.com\"}");

        Answer answer = post(bulk(1, createUser("a", "first@example.com") + "," + createUser("b", "second@example.com")
                + "," + createUser("c", "third@example.com")));

        assertThat(statuses(answer)).containsExactly("409");
        assertThat(idp.get("/Users?filter=" + ScimHttp.query("userName eq \"second@example.com\"")).body().get("totalResults").asInt())
                .isZero();
        assertThat(idp.get("/Users?filter=" + ScimHttp.query("userName eq \"third@example.com\"")).body().get("totalResults").asInt())
                .isZero();
    }

    @Test
    void operationsOnOneResourceApplyInRequestOrder() {
        // as RFC 7644's bulk examples write a PATCH: its data without the PatchOp schemas
        String rename = """
                {"method":"PATCH","path":"/Users/bulkId:u","data":{"Operations":[{"op":"replace","path":"displayName","value":"%s"}]}}""";
        Answer answer = post(bulk(String.join(",", rename.formatted("first"), createUser("u", "ordered@example.com"),
                rename.formatted("second"), deactivate("/Users/bulkId:u"), rename.formatted("third"))));

        assertThat(statuses(answer)).containsExactly("200", "201", "200", "200", "200");
        assertThat(answer.body().get("Operations").valueStream().map(result -> result.get("version").asString()))
                .containsExactly("W/\"2\"", "W/\"1\"", "W/\"3\"", "W/\"4\"", "W/\"5\"");
        Answer user = idp.get("/Users/" + idOf(answer.body().at("/Operations/1")));
        assertThat(user.body().get("displayName").asString()).isEqualTo("third");
        assertThat(user.body().get("active").asBoolean()).isFalse();
    }

    @Test
    void anAsynchronousBulkIsAccepted202AndEveryOperationsOutcomeIsPublishedUnderTheBulksTxnAndItsIndex() {
        String missing = UUID.randomUUID().toString();
        String body = bulk(createUser("a", "async-a@example.com") + ","
                + """
                        {"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["%s"],"displayName":"Async","members":[{"value":"bulkId:a"}]}}"""
                        .formatted(GROUP)
                + ","
                + deactivate("/Users/" + missing) + ","
                + deactivate("/Users/bulkId:nobody"));
        Map<String, String> headers = Map.of("Prefer", "respond-async", "Idempotency-Key", UUID.randomUUID().toString());

        try (TopicReader outcomes = new TopicReader(Topics.OUTCOMES)) {
            Answer answer = idp.send("POST", "/Bulk", body, headers);

            assertThat(answer.status()).isEqualTo(202);
            assertThat(answer.body()).isNull();
            assertThat(answer.header("Preference-Applied")).isEqualTo("respond-async");
            String txn = answer.header("Set-Txn");
            assertThat(txn).isNotBlank();
            Map<String, ChangeOutcome> reported = await().atMost(Duration.ofSeconds(30)).until(() -> outcomes
                    .records(r -> true).stream().map(r -> EventCodec.outcome(r.value()))
                    .filter(outcome -> outcome.txn() != null && outcome.txn().startsWith(txn + ":"))
                    .collect(Collectors.toMap(ChangeOutcome::txn, outcome -> outcome, (first, again) -> first)), map -> map.size() >= 4);

            assertThat(reported.keySet()).containsExactlyInAnyOrder(txn + ":0", txn + ":1", txn + ":2", txn + ":3");
            Set<String> changeIds = reported.values().stream().map(outcome -> outcome.changeId().toString()).collect(Collectors.toSet());
            assertThat(outcomes.records(r -> changeIds.contains(r.key())))
                    .as("marked asynchronous in a header, by the worker (0, 1) and by the ingress (2, 3) alike")
                    .allSatisfy(r -> assertThat(OutcomeHeaders.respondAsync(r.headers())).contains(true))
                    .extracting(r -> r.key()).containsAll(changeIds);
            assertThat(reported.values()).allSatisfy(outcome -> {
                assertThat(outcome.respondAsync()).isTrue();
                assertThat(outcome.tenant()).isEqualTo(tenant.name());
            });
            ChangeOutcome user = reported.get(txn + ":0");
            assertThat(user.status()).isEqualTo(201);
            assertThat(user.bulkId()).isEqualTo("a");
            ChangeOutcome group = reported.get(txn + ":1");
            assertThat(group.status()).isEqualTo(201);
            assertThat(group.bulkId()).isEqualTo("g");
            assertThat(group.resourceType()).isEqualTo(ResourceType.GROUP);
            assertThat(reported.get(txn + ":2").status()).as("applied by the worker: no such user").isEqualTo(404);
            assertThat(reported.get(txn + ":2").resourceId()).isEqualTo(missing);
            ChangeOutcome refused = reported.get(txn + ":3");
            assertThat(refused.status()).as("refused by the ingress itself").isEqualTo(400);
            assertThat(refused.scimType()).isEqualTo("invalidValue");
            assertThat(refused.detail()).contains("bulkId:nobody");
            Answer members = idp.get("/Groups/" + group.resourceId());
            assertThat(members.body().at("/members/0/value").asString()).isEqualTo(user.resourceId());

            Answer retry = idp.send("POST", "/Bulk", body, headers);
            assertThat(retry.status()).isEqualTo(202);
            assertThat(retry.header("Set-Txn")).as("a retried asynchronous bulk is the same request").isEqualTo(txn);
            assertThat(idp.get("/Users?filter=" + ScimHttp.query("userName eq \"async-a@example.com\"")).body()
                    .get("totalResults").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aRetriedBulkWithTheSameIdempotencyKeyIsTheSameSetOfChanges() {
        String body = bulk(createUser("a", "retry-a@example.com") + "," + createUser("b", "retry-b@example.com") + ","
                + deactivate("/Users/bulkId:a"));
        String key = UUID.randomUUID().toString();

        Answer first = idp.send("POST", "/Bulk", body, Map.of("Idempotency-Key", key));
        Answer retry = idp.send("POST", "/Bulk", body, Map.of("Idempotency-Key", key));
        Answer other = idp.send("POST", "/Bulk", body, Map.of("Idempotency-Key", key + "-other"));

        assertThat(statuses(first)).containsExactly("201", "201", "200");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(statuses(other)).as("another key is another bulk: the userNames are taken").containsExactly("409", "409", "409");
        assertThat(idp.get("/Users?filter=" + ScimHttp.query("userName sw \"retry-\"")).body().get("totalResults").asInt()).isEqualTo(2);
        assertThat(idp.get("/Users/" + idOf(first.body().at("/Operations/0"))).header("ETag")).isEqualTo("W/\"2\"");
    }

    @Test
    void anotherTenantsResourcesAreNotFoundWhetherByPathOrAsMembers() {
        ScimHttp owner = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "other-idp");
        String theirs = owner.post("/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"theirs@example.com\"}").body().get("id")
                .asString();

        Answer answer = post(bulk(deactivate("/Users/" + theirs) + ",{\"method\":\"DELETE\",\"path\":\"/Users/" + theirs + "\"},"
                + """
                        {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Stolen","members":[{"value":"%s"}]}}"""
                        .formatted(theirs)));

        assertThat(statuses(answer)).containsExactly("404", "404", "400");
        Answer untouched = owner.get("/Users/" + theirs);
        assertThat(untouched.header("ETag")).isEqualTo("W/\"1\"");
        assertThat(untouched.body().get("active").asBoolean()).isTrue();
    }

    @Test
    void aBulkDeactivationAndDeletionAreAuditedLikeSingleRequests() {
        String[] ids = IntStream.range(0, 2).mapToObj(i -> idp.post("/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"audited"
                + i + "@example.com\"}").body().get("id").asString()).toArray(String[]::new);

        Answer answer = post(bulk(deactivate("/Users/" + ids[0]) + ",{\"method\":\"DELETE\",\"path\":\"/Users/" + ids[1] + "\"}"));

        assertThat(statuses(answer)).containsExactly("200", "204");
        ScimHttp audit = ScimHttp.operatorApi(pipeline);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Answer records = audit.get("/api/v1/deactivations?tenant=" + tenant.name());
            assertThat(records.status()).isEqualTo(200);
            assertThat(records.body().get("items").valueStream()
                    .map(item -> item.get("userId").asString() + " " + item.get("cause").asString() + " "
                            + item.get("clientName").asString()))
                    .containsExactlyInAnyOrder(ids[0] + " PATCH bulk-idp", ids[1] + " DELETE bulk-idp");
        });
    }

    @Test
    void aThousandCreatesInOneBulkAreAllApplied() {
        String operations = IntStream.range(0, 1000).mapToObj(i -> createUser("u" + i, "many" + i + "@example.com"))
                .collect(Collectors.joining(","));

        Answer answer = post(bulk(operations));

        assertThat(statuses(answer)).hasSize(1000).containsOnly("201");
        // a bulk costs the tenant's rate limit one request per operation: the next request may wait for the bucket (429)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Answer created = idp.get("/Users?filter=" + ScimHttp.query("userName sw \"many\"") + "&count=1");
            assertThat(created.status()).isEqualTo(200);
            assertThat(created.body().get("totalResults").asInt()).isEqualTo(1000);
        });
    }
}
