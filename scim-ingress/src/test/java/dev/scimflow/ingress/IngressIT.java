package dev.scimflow.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimRequest;
import dev.scimflow.events.Topics;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.store.StoredUser;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.Users;
import dev.scimflow.testing.CreationTimes;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * The ingress alone, against a real broker and a real PostgreSQL, with no worker running: authentication,
 * reads from the store, validation before anything is published, and a bounded 503 when no outcome comes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "scimflow.ingress.outcome-timeout=2s")
class IngressIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    String token;
    String tenant;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        MigratedStore.register(registry);
    }

    @BeforeEach
    void tenantWithToken() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        TenantTokens tokens = new TenantTokens(dataSource);
        tokens.createTenant(tenant);
        token = tokens.issue(tenant, "test").token();
    }

    @Test
    void requestsWithoutAValidBearerTokenAreUnauthorizedWithAScimError() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/scim/v2/Users")).GET());
        HttpResponse<String> wrong = send(
                HttpRequest.newBuilder(uri("/scim/v2/Users")).header("Authorization", "Bearer nope-nope-nope-nope").GET());

        for (HttpResponse<String> response : java.util.List.of(missing, wrong)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
            assertThat(json(response).get("status").asString()).isEqualTo("401");
        }
    }

    @Test
    void aRevokedTokenIsRefusedWithinTheTokenCacheBound() throws Exception {
        TenantTokens tokens = new TenantTokens(dataSource);
        assertThat(get("/scim/v2/Users").statusCode()).isEqualTo(200);
        tokens.revoke(tokens.list(tenant).get(0).id());

        // the ingress trusts a checked token for scimflow.ingress.token-cache-ttl (1 s)
        await().atMost(Duration.ofSeconds(3)).until(() -> get("/scim/v2/Users").statusCode() == 401);
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(uri("/scim/v2/Users")).header("Authorization", "bearer " + token).GET());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aStoredUserIsReadWithLocationETagAndMeta() throws Exception {
        StoredUser user = storeUser("Alice@Example.com");

        HttpResponse<String> response = get("/scim/v2/Users/" + user.id());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(response.headers().firstValue("Location")).hasValue(uri("/scim/v2/Users/" + user.id()).toString());
        JsonNode body = json(response);
        assertThat(body.get("id").asString()).isEqualTo(user.id());
        assertThat(body.at("/meta/resourceType").asString()).isEqualTo("User");
        assertThat(body.at("/meta/location").asString()).isEqualTo(uri("/scim/v2/Users/" + user.id()).toString());
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() throws Exception {
        for (String id : new String[]{UUID.randomUUID().toString(), "010101001010101011001010101011"}) {
            HttpResponse<String> response = get("/scim/v2/Users/" + id);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response).get("status").asString()).isEqualTo("404");
        }
    }

    @Test
    void aUserNameFilterFindsTheUserCaseInsensitivelyAndAnUnknownNameFindsNothing() throws Exception {
        StoredUser user = storeUser("bob@example.com");

        JsonNode found = json(get("/scim/v2/Users?filter=" + encode("userName eq \"BOB@example.com\"") + "&startIndex=1&count=100"));
        JsonNode none = json(get("/scim/v2/Users?filter=" + encode("userName eq \"" + UUID.randomUUID() + "\"") + "&aadOptscim062020"));

        assertThat(found.get("totalResults").asInt()).isEqualTo(1);
        assertThat(found.get("itemsPerPage").asInt()).isEqualTo(1);
        assertThat(found.get("startIndex").asInt()).isEqualTo(1);
        assertThat(found.at("/Resources/0/id").asString()).isEqualTo(user.id());
        assertThat(none.get("totalResults").asInt()).isZero();
        assertThat(none.get("Resources").size()).isZero();
    }

    @Test
    void anotherTenantsUsersAreInvisible() throws Exception {
        TenantTokens tokens = new TenantTokens(dataSource);
        String other = "t-" + UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(other);
        StoredUser theirs = new StoredUser(other, UUID.randomUUID().toString(),
                ScimUsers.validateForWrite(EventCodec.mapper().readTree("{\"userName\":\"carol@example.com\"}")), 1, now(), now());
        new Users(dataSource).insert(theirs);

        assertThat(get("/scim/v2/Users/" + theirs.id()).statusCode()).isEqualTo(404);
        assertThat(json(get("/scim/v2/Users?filter=" + encode("userName eq \"carol@example.com\""))).get("totalResults").asInt()).isZero();
    }

    @Test
    void aMalformedFilterIsInvalidFilter() throws Exception {
        HttpResponse<String> response = get("/scim/v2/Users?filter=" + encode("userName eq"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("scimType").asString()).isEqualTo("invalidFilter");
    }

    @Test
    void aValueFilterWithoutItsClosingBracketIsInvalidFilter() throws Exception {
        for (String filter : new String[]{"emails[type eq \"work\"", "emails[type eq \"work\" and value co \"@x\"",
                "(userName eq \"a\""}) {
            HttpResponse<String> response = get("/scim/v2/Users?filter=" + encode(filter));

            assertThat(response.statusCode()).as(filter).isEqualTo(400);
            assertThat(json(response).get("scimType").asString()).isEqualTo("invalidFilter");
        }
    }

    @Test
    void entrasMatchOnTheWorkEmailFindsTheUserByAValuePathWithASubAttribute() throws Exception {
        StoredUser ada = storeUser("ada", "{\"userName\":\"ada\",\"emails\":[{\"value\":\"ada@work.example\",\"type\":\"work\"},"
                + "{\"value\":\"ada@home.example\",\"type\":\"home\"}]}");

        JsonNode found = json(get("/scim/v2/Users?filter=" + encode("emails[type eq \"work\"].value eq \"ADA@work.example\"")));
        JsonNode notAtWork = json(get("/scim/v2/Users?filter=" + encode("emails[type eq \"work\"].value eq \"ada@home.example\"")));

        assertThat(found.get("totalResults").asInt()).isEqualTo(1);
        assertThat(found.at("/Resources/0/id").asString()).isEqualTo(ada.id());
        assertThat(notAtWork.get("totalResults").asInt()).isZero();
    }

    @Test
    void invalidBodiesAreRejectedBeforeAnythingIsPublished() throws Exception {
        HttpResponse<String> notJson = post("/scim/v2/Users", "{\"userName\":");
        HttpResponse<String> noUserName = post("/scim/v2/Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"]}");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("scimType").asString()).isEqualTo("invalidSyntax");
        assertThat(noUserName.statusCode()).isEqualTo(400);
        assertThat(json(noUserName).get("scimType").asString()).isEqualTo("invalidValue");
    }

    @Test
    void withNoWorkerAWriteIsPublishedThenAnswered503WithRetryAfterCountedForItsTenant() throws Exception {
        String userName = "late-" + UUID.randomUUID() + "@example.com";
        try (TopicReader changes = new TopicReader(Topics.CHANGES); TopicReader requests = new TopicReader(Topics.REQUESTS)) {
            HttpResponse<String> response = post("/scim/v2/Users", "{\"userName\":\"" + userName + "\"}");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
            await().untilAsserted(() -> assertThat(changes.records(r -> new String(r.value()).contains(userName)))
                    .singleElement()
                    .satisfies(r -> {
                        var change = EventCodec.change(r.value());
                        assertThat(change.operation()).isEqualTo(ChangeOperation.CREATE);
                        assertThat(change.tenant()).isEqualTo(tenant);
                        assertThat(r.key()).isEqualTo(change.key());
                        assertThat(new String(r.headers().lastHeader("traceparent").value(), java.nio.charset.StandardCharsets.UTF_8))
                                .as("the error answer's X-Trace-Id is the trace its change carries").contains("-" + traceId + "-");
                    }));
            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            await().untilAsserted(() -> assertThat(requests.records(r -> requestId.equals(EventCodec.request(r.value()).requestId())))
                    .singleElement()
                    .satisfies(r -> {
                        ScimRequest logged = EventCodec.request(r.value());
                        assertThat(logged.status()).as("logged once the asynchronous request completed").isEqualTo(503);
                        assertThat(logged.detail()).isNotBlank();
                        assertThat(logged.latencyMs()).as("the wait for the outcome is part of the latency").isGreaterThanOrEqualTo(1900);
                        assertThat(new String(r.value())).doesNotContain(userName);
                    }));
        }
        IngressHttp http = new IngressHttp(port);
        await().untilAsserted(() -> assertThat(http.metric("scimflow_ingress_refused_total", "status=\"503\"", "tenant=\"" + tenant + "\""))
                .as("the 503 is counted for its tenant").isEqualTo(1.0));
        assertThat(http.metric("scimflow_ingress_outcome_wait_seconds_count", "result=\"timeout\""))
                .as("the wait is timed as a timeout").isGreaterThanOrEqualTo(1.0);
        assertThat(http.metric("scimflow_ingress_outcome_wait_seconds_bucket", "result=\"timeout\"", "le=\"+Inf\""))
                .as("as a histogram").isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aRefusedRequestIsOnItsTenantsRequestLogWithItsScimErrorButNoTokenNorQueryValues() throws Exception {
        String requestId = "log-" + UUID.randomUUID();
        HttpResponse<String> response = send(HttpRequest
                .newBuilder(uri("/scim/v2/Users?filter=" + encode("userName eq \"secret.name@example.com")
                        + "&count=5"))
                .header("Authorization", "Bearer " + token).header("X-Request-Id", requestId)
                .header("User-Agent", "Microsoft.Azure.ActiveDirectory").GET());
        assertThat(response.statusCode()).isEqualTo(400);

        try (TopicReader requests = new TopicReader(Topics.REQUESTS)) {
            await().untilAsserted(() -> assertThat(requests.records(r -> requestId.equals(EventCodec.request(r.value()).requestId())))
                    .singleElement()
                    .satisfies(r -> {
                        ScimRequest logged = EventCodec.request(r.value());
                        assertThat(r.key()).isEqualTo(tenant);
                        assertThat(logged.tenant()).isEqualTo(tenant);
                        assertThat(logged.method()).isEqualTo("GET");
                        assertThat(logged.path()).isEqualTo("/scim/v2/Users?filter&count");
                        assertThat(logged.status()).isEqualTo(400);
                        assertThat(logged.scimType()).isEqualTo("invalidFilter");
                        assertThat(logged.detail()).isEqualTo(json(response).get("detail").asString());
                        assertThat(logged.client()).isEqualTo("Microsoft.Azure.ActiveDirectory");
                        assertThat(logged.at()).isBeforeOrEqualTo(Instant.now());
                        assertThat(new String(r.value())).doesNotContain(token).doesNotContain("secret.name");
                    }));
        }
    }

    @Test
    void anAsynchronousWriteIsAnswered202AtOnceWithSetTxnAndPublishedAsAsynchronous() throws Exception {
        String userName = "async-" + UUID.randomUUID() + "@example.com";
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/scim/v2/Users")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/scim+json").header("Prefer", "respond-async, wait=5")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userName\":\"" + userName + "\"}")));

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("Preference-Applied")).hasValue("respond-async");
            String txn = response.headers().firstValue("Set-Txn").orElseThrow();
            assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("http://localhost:" + port + "/scim/v2/Users/");
            await().untilAsserted(() -> assertThat(changes.records(r -> new String(r.value()).contains(userName)))
                    .singleElement()
                    .satisfies(r -> {
                        var change = EventCodec.change(r.value());
                        assertThat(change.changeId()).hasToString(txn);
                        assertThat(change.respondAsync()).isTrue();
                        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/Users/" + change.resourceId());
                    }));
        }
    }

    @Test
    void discoveryAdvertisesWhatTheServiceDoes() throws Exception {
        JsonNode config = json(get("/scim/v2/ServiceProviderConfig"));
        JsonNode types = json(get("/scim/v2/ResourceTypes"));
        JsonNode schemas = json(get("/scim/v2/Schemas"));
        HttpResponse<String> userSchema = get("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");

        assertThat(config.at("/patch/supported").asBoolean()).isTrue();
        assertThat(config.at("/filter/supported").asBoolean()).isTrue();
        assertThat(config.at("/filter/maxResults").asInt()).isEqualTo(1000);
        assertThat(config.at("/sort/supported").asBoolean()).isTrue();
        assertThat(config.at("/etag/supported").asBoolean()).isTrue();
        assertThat(config.at("/bulk/supported").asBoolean()).isTrue();
        assertThat(config.at("/bulk/maxOperations").asInt()).isEqualTo(1000);
        assertThat(config.at("/bulk/maxPayloadSize").asInt()).isEqualTo(1024 * 1024);
        assertThat(config.at("/changePassword/supported").asBoolean()).isFalse();
        assertThat(config.at("/authenticationSchemes/0/type").asString()).isEqualTo("oauthbearertoken");
        assertThat(config.at("/authenticationSchemes/0/primary").asBoolean()).isTrue();
        assertThat(config.at("/authenticationSchemes/1/type").asString()).isEqualTo("oauth2");
        assertThat(config.at("/authenticationSchemes").size()).isEqualTo(2);
        assertThat(config.at("/pagination/cursor").asBoolean()).isTrue();
        assertThat(config.at("/securityEvents/asyncRequest").asString()).isEqualTo("request");
        assertThat(config.at("/securityEvents/eventUris").valueStream().map(JsonNode::asString))
                .contains("urn:ietf:params:scim:event:prov:create:full", "urn:ietf:params:scim:event:prov:deactivate");
        assertThat(types.at("/Resources/0/endpoint").asString()).isEqualTo("/Users");
        assertThat(types.at("/Resources/0/schemaExtensions").valueStream().map(e -> e.get("schema").asString()))
                .containsExactly(ScimSchemas.ENTERPRISE_USER, ScimSchemas.ZULIP_USER);
        assertThat(types.at("/Resources/0/schemaExtensions/1/required").asBoolean()).isFalse();
        assertThat(schemas.get("Resources").valueStream().map(schema -> schema.get("id").asString())).containsExactly(
                ScimSchemas.USER, ScimSchemas.ENTERPRISE_USER, ScimSchemas.ZULIP_USER, ScimSchemas.GROUP,
                "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
                "urn:ietf:params:scim:schemas:core:2.0:ResourceType", "urn:ietf:params:scim:schemas:core:2.0:Schema");
        assertThat(schemas.get("totalResults").asInt()).isEqualTo(7);
        assertThat(json(get("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:ResourceType")).get("attributes")
                .valueStream().map(a -> a.get("name").asString())).contains("endpoint", "schema", "schemaExtensions");
        assertThat(userSchema.statusCode()).isEqualTo(200);
        assertThat(json(userSchema).get("attributes").valueStream().map(a -> a.get("name").asString()))
                .contains("userName", "name", "emails", "active").doesNotContain("role");
        JsonNode zulip = json(get("/scim/v2/Schemas/" + ScimSchemas.ZULIP_USER));
        assertThat(zulip.at("/attributes/0/name").asString()).isEqualTo("role");
        assertThat(zulip.at("/attributes/0/canonicalValues").valueStream().map(JsonNode::asString))
                .containsExactly("owner", "administrator", "moderator", "member", "guest");
        assertThat(get("/scim/v2/Me").statusCode()).isEqualTo(501);
        assertThat(get("/scim/v2/Schemas/urn:nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aTenantWithRoleAtTheTopIsShownItAmongTheCoreAttributes() throws Exception {
        coreTenant();

        JsonNode userSchema = json(get("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"));

        assertThat(userSchema.get("attributes").valueStream().map(a -> a.get("name").asString())).contains("role");
    }

    @Test
    void aFilterOnADiscoveryEndpointIsForbidden() throws Exception {
        for (String endpoint : new String[]{"ServiceProviderConfig", "ResourceTypes", "Schemas"}) {
            HttpResponse<String> response = get("/scim/v2/" + endpoint + "?filter=" + encode("id eq \"User\""));

            assertThat(response.statusCode()).as(endpoint).isEqualTo(403);
            assertThat(json(response).get("status").asString()).isEqualTo("403");
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
        }
    }

    @Test
    void aUsersRoleIsReadWhereItsTenantChoseToHaveIt() throws Exception {
        StoredUser user = storeUser("roles@example.com");
        JsonNode inExtension = json(get("/scim/v2/Users/" + user.id()));
        JsonNode onlyRole = json(get("/scim/v2/Users/" + user.id() + "?attributes=role"));
        JsonNode withoutRole = json(get("/scim/v2/Users/" + user.id() + "?excludedAttributes=" + encode(ScimSchemas.ZULIP_USER)));

        coreTenant();
        user = storeUser("roles@example.com");
        JsonNode atTheTop = json(get("/scim/v2/Users/" + user.id()));
        JsonNode listedAtTheTop = json(
                get("/scim/v2/Users?filter=" + encode("urn:scimflow:params:scim:schemas:extension:zulip:2.0:User:role eq \"member\"")));

        assertThat(inExtension.has("role")).isFalse();
        assertThat(onlyRole.at("/" + ScimSchemas.ZULIP_USER + "/role").asString()).isEqualTo("member");
        assertThat(onlyRole.has("userName")).isFalse();
        assertThat(withoutRole.has(ScimSchemas.ZULIP_USER)).isFalse();
        assertThat(withoutRole.get("schemas").valueStream().map(JsonNode::asString)).containsExactly(ScimSchemas.USER);
        assertThat(inExtension.at("/" + ScimSchemas.ZULIP_USER + "/role").asString()).isEqualTo("member");
        assertThat(inExtension.get("schemas").valueStream().map(JsonNode::asString)).contains(ScimSchemas.ZULIP_USER);
        assertThat(atTheTop.get("role").asString()).isEqualTo("member");
        assertThat(atTheTop.has(ScimSchemas.ZULIP_USER)).isFalse();
        assertThat(listedAtTheTop.get("totalResults").asInt()).isEqualTo(1);
        assertThat(listedAtTheTop.at("/Resources/0/role").asString()).isEqualTo("member");
    }

    @Test
    void aTenantsNewRoleAttributeReachesItsResponsesWithinTheTokenCacheBound() throws Exception {
        coreTenant();
        StoredUser user = storeUser("switch@example.com");
        assertThat(json(get("/scim/v2/Users/" + user.id())).get("role").asString()).as("cached with the token: core").isEqualTo("member");

        new TenantTokens(dataSource).setRoleAttribute(tenant, RoleAttribute.EXTENSION);

        // the cached authentication carries the tenant's choice; it is read again with the token, within the cache's 1 s
        await().atMost(Duration.ofSeconds(3)).until(() -> json(get("/scim/v2/Users/" + user.id())).has(ScimSchemas.ZULIP_USER));
        assertThat(json(get("/scim/v2/Users/" + user.id())).has("role")).isFalse();
    }

    @Test
    void listsSortPageByCursorAndSelectAttributes() throws Exception {
        for (String name : new String[]{"d", "b", "c", "a"}) {
            storeUser(name + "@example.com");
        }

        JsonNode sorted = json(get("/scim/v2/Users?sortBy=userName&sortOrder=descending&count=2&attributes=userName"));
        assertThat(sorted.get("totalResults").asInt()).isEqualTo(4);
        assertThat(sorted.at("/Resources/0/userName").asString()).isEqualTo("d@example.com");
        assertThat(sorted.at("/Resources/1/userName").asString()).isEqualTo("c@example.com");
        assertThat(sorted.at("/Resources/0/id").isString()).isTrue();
        assertThat(sorted.at("/Resources/0").has("meta")).isFalse();
        assertThat(sorted.at("/Resources/0").has("active")).isFalse();

        JsonNode excluded = json(get("/scim/v2/Users?excludedAttributes=active,meta&count=1"));
        assertThat(excluded.at("/Resources/0").has("userName")).isTrue();
        assertThat(excluded.at("/Resources/0").has("active")).isFalse();

        JsonNode first = json(get("/scim/v2/Users?cursor=&count=3"));
        assertThat(first.get("itemsPerPage").asInt()).isEqualTo(3);
        JsonNode second = json(get("/scim/v2/Users?cursor=" + first.get("nextCursor").asString() + "&count=3"));
        assertThat(second.get("itemsPerPage").asInt()).isEqualTo(1);
        assertThat(second.has("nextCursor")).isFalse();
        assertThat(second.at("/Resources/0/userName").asString()).isEqualTo("a@example.com");

        HttpResponse<String> badCursor = get("/scim/v2/Users?cursor=not-a-cursor");
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(json(badCursor).get("scimType").asString()).isEqualTo("invalidCursor");
    }

    @Test
    void searchByPostTakesFilterPagingAndAttributesFromTheBody() throws Exception {
        storeUser("zed@example.com");
        storeUser("zoe@example.com");

        HttpResponse<String> response = post("/scim/v2/Users/.search", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "filter":"userName sw \\"zo\\"","startIndex":1,"count":10,"attributes":["userName"]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("totalResults").asInt()).isEqualTo(1);
        assertThat(body.at("/Resources/0/userName").asString()).isEqualTo("zoe@example.com");
    }

    @Test
    void pagingParametersFollowTheRfcRules() throws Exception {
        storeUser("p1@example.com");
        storeUser("p2@example.com");

        JsonNode belowOne = json(get("/scim/v2/Users?startIndex=0&count=1"));
        JsonNode negativeCount = json(get("/scim/v2/Users?count=-5"));
        HttpResponse<String> notANumber = get("/scim/v2/Users?count=lots");

        assertThat(belowOne.get("startIndex").asInt()).isEqualTo(1);
        assertThat(belowOne.get("itemsPerPage").asInt()).isEqualTo(1);
        assertThat(negativeCount.get("itemsPerPage").asInt()).isZero();
        assertThat(negativeCount.get("totalResults").asInt()).isEqualTo(2);
        assertThat(notANumber.statusCode()).isEqualTo(400);
    }

    @Test
    void aMatchingIfNoneMatchIsNotModified() throws Exception {
        StoredUser user = storeUser("cache@example.com");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/scim/v2/Users/" + user.id()))
                .header("Authorization", "Bearer " + token).header("If-None-Match", "W/\"1\"").GET());

        assertThat(response.statusCode()).isEqualTo(304);
    }

    /** From here on, the test speaks for a new tenant whose responses carry role at the top. */
    private void coreTenant() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        TenantTokens tokens = new TenantTokens(dataSource);
        tokens.createTenant(tenant, RoleAttribute.CORE);
        token = tokens.issue(tenant, "test").token();
    }

    private StoredUser storeUser(String userName) {
        return storeUser(userName, "{\"userName\":\"" + userName + "\"}");
    }

    private StoredUser storeUser(String userName, String body) {
        StoredUser user = new StoredUser(tenant, UUID.randomUUID().toString(),
                ScimUsers.validateForWrite(EventCodec.mapper().readTree(body)), 1, now(), now());
        new Users(dataSource).insert(user);
        return user;
    }

    /** Each stored resource a millisecond after the previous one, so that lists come back in the order stored. */
    private static Instant now() {
        return CreationTimes.next();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/scim+json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return EventCodec.mapper().readTree(response.body());
    }
}
