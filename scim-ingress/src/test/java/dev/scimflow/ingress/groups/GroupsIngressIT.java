package dev.scimflow.ingress.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.Topics;
import dev.scimflow.ingress.MigratedStore;
import dev.scimflow.scim.ScimGroups;
import dev.scimflow.store.Groups;
import dev.scimflow.store.StoredGroup;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.testing.CreationTimes;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * {@code /scim/v2/Groups} on the ingress alone, against a real broker and a real PostgreSQL, with no worker:
 * reads from the store (members streamed, filters, paging, sorting, attribute selection), validation before
 * anything is published, and the changes Okta's and Entra's group requests become.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "scimflow.ingress.outcome-timeout=2s")
class GroupsIngressIT {

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
    void aGroupIsReadWithItsMembersAsUserReferencesAndWithETagAndLocation() throws Exception {
        String ann = user("ann@example.com", "Ann A");
        String bob = user("bob@example.com", null);
        StoredGroup group = group("Engineering", ann, bob);

        HttpResponse<String> response = get("/scim/v2/Groups/" + group.id());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(response.headers().firstValue("Location")).hasValue(uri("/scim/v2/Groups/" + group.id()).toString());
        JsonNode body = json(response);
        assertThat(List.copyOf(body.propertyNames())).containsExactly("id", "schemas", "displayName", "members", "meta");
        assertThat(body.at("/meta/resourceType").asString()).isEqualTo("Group");
        assertThat(body.at("/meta/location").asString()).isEqualTo(uri("/scim/v2/Groups/" + group.id()).toString());
        assertThat(body.get("members").valueStream().map(m -> m.get("value").asString())).containsExactlyInAnyOrder(ann, bob);
        JsonNode first = body.get("members").valueStream().filter(m -> m.get("value").asString().equals(ann)).findFirst().orElseThrow();
        assertThat(first.get("display").asString()).isEqualTo("Ann A");
        assertThat(first.get("type").asString()).isEqualTo("User");
        assertThat(first.get("$ref").asString()).isEqualTo(uri("/scim/v2/Users/" + ann).toString());
    }

    @Test
    void aUsersReadOnlyGroupsAttributeListsItsGroupsOnGetAndInLists() throws Exception {
        String ann = user("ann", null);
        String bob = user("bob", null);
        StoredGroup zeta = group("Zeta", ann);
        StoredGroup alpha = group("alpha", ann, bob);

        JsonNode annAlone = json(get("/scim/v2/Users/" + ann));
        JsonNode listed = json(get("/scim/v2/Users?sortBy=userName"));
        JsonNode excluded = json(get("/scim/v2/Users/" + ann + "?excludedAttributes=groups"));

        assertThat(annAlone.get("groups").valueStream().map(g -> g.get("value").asString())).containsExactly(alpha.id(), zeta.id());
        assertThat(annAlone.at("/groups/0/display").asString()).isEqualTo("alpha");
        assertThat(annAlone.at("/groups/0/$ref").asString()).isEqualTo(uri("/scim/v2/Groups/" + alpha.id()).toString());
        assertThat(annAlone.at("/groups/0/type").asString()).isEqualTo("direct");
        assertThat(listed.at("/Resources/0/groups").size()).isEqualTo(2);
        assertThat(listed.at("/Resources/1/groups").valueStream().map(g -> g.get("value").asString())).containsExactly(alpha.id());
        assertThat(excluded.has("groups")).isFalse();
        assertThat(json(get("/scim/v2/Users/" + user("cat", null))).has("groups")).isFalse();
    }

    @Test
    void nestedGroupsAreReadAsGroupMembersAndAsTheIndirectGroupsOfTheirUsers() throws Exception {
        String ann = user("ann", null);
        StoredGroup backend = group("Backend", ann);
        StoredGroup engineering = group("Engineering");
        new Groups(dataSource).addMemberGroups(tenant, engineering.id(), List.of(backend.id()));

        JsonNode parent = json(get("/scim/v2/Groups/" + engineering.id()));
        JsonNode annRead = json(get("/scim/v2/Users/" + ann));
        JsonNode inEngineering = json(get("/scim/v2/Users?filter=" + encode("groups.value eq \"" + engineering.id() + "\"")));
        JsonNode parentsOfBackend = json(get("/scim/v2/Groups?filter=" + encode("members[value eq \"" + backend.id() + "\"]")
                + "&excludedAttributes=members"));

        assertThat(parent.at("/members/0/value").asString()).isEqualTo(backend.id());
        assertThat(parent.at("/members/0/type").asString()).isEqualTo("Group");
        assertThat(parent.at("/members/0/display").asString()).isEqualTo("Backend");
        assertThat(parent.at("/members/0/$ref").asString()).isEqualTo(uri("/scim/v2/Groups/" + backend.id()).toString());
        assertThat(annRead.get("groups").valueStream().map(g -> g.get("display").asString() + ":" + g.get("type").asString()))
                .containsExactly("Backend:direct", "Engineering:indirect");
        assertThat(inEngineering.get("totalResults").asInt()).isEqualTo(1);
        assertThat(inEngineering.at("/Resources/0/id").asString()).isEqualTo(ann);
        assertThat(parentsOfBackend.at("/Resources/0/id").asString()).isEqualTo(engineering.id());
    }

    @Test
    void discoveryAdvertisesTheGroupResourceTypeAndSchema() throws Exception {
        JsonNode types = json(get("/scim/v2/ResourceTypes"));
        HttpResponse<String> schema = get("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group");

        assertThat(types.get("Resources").valueStream().map(t -> t.get("endpoint").asString())).contains("/Users", "/Groups");
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(json(schema).get("attributes").valueStream().map(a -> a.get("name").asString())).contains("displayName", "members");
    }

    @Test
    void excludedAttributesMembersAndAttributesSelectWhatIsReturned() throws Exception {
        StoredGroup group = group("Sales", user("ann", null));

        JsonNode excluded = json(get("/scim/v2/Groups/" + group.id() + "?excludedAttributes=members"));
        JsonNode onlyName = json(get("/scim/v2/Groups/" + group.id() + "?attributes=displayName"));

        JsonNode valuesOnly = json(get("/scim/v2/Groups/" + group.id() + "?attributes=members.value"));
        assertThat(valuesOnly.get("members").get(0).propertyNames()).containsExactly("value");
        assertThat(excluded.has("members")).isFalse();
        assertThat(excluded.has("meta")).isTrue();
        assertThat(List.copyOf(onlyName.propertyNames())).containsExactly("id", "schemas", "displayName");
    }

    @Test
    void entraFindsAGroupByDisplayNameWithoutMembersCaseInsensitively() throws Exception {
        StoredGroup group = group("Entra Group", user("ann", null));
        group("Other Group");

        JsonNode found = json(get("/scim/v2/Groups?excludedAttributes=members&filter="
                + encode("displayName eq \"entra group\"") + "&aadOptscim062020"));

        assertThat(found.get("totalResults").asInt()).isEqualTo(1);
        assertThat(found.get("itemsPerPage").asInt()).isEqualTo(1);
        assertThat(found.at("/Resources/0/id").asString()).isEqualTo(group.id());
        assertThat(found.at("/Resources/0").has("members")).isFalse();
    }

    @Test
    void aMembersValueFilterFindsTheGroupsOfAUser() throws Exception {
        String ann = user("ann", null);
        StoredGroup one = group("One", ann);
        StoredGroup two = group("Two", ann, user("bob", null));
        group("Three", user("cat", null));

        JsonNode found = json(get("/scim/v2/Groups?excludedAttributes=members&filter=" + encode("members[value eq \"" + ann + "\"]")));
        JsonNode dotted = json(get("/scim/v2/Groups?attributes=displayName&filter=" + encode("members.value eq \"" + ann + "\"")));

        for (JsonNode list : List.of(found, dotted)) {
            assertThat(list.get("totalResults").asInt()).isEqualTo(2);
            assertThat(list.get("Resources").valueStream().map(g -> g.get("id").asString()))
                    .containsExactlyInAnyOrder(one.id(), two.id());
        }
    }

    @Test
    void externalIdAndMetaFiltersAndAnInvalidFilterIsInvalidFilter() throws Exception {
        StoredGroup group = group("Ext", null, "ext-42");

        assertThat(json(get("/scim/v2/Groups?filter=" + encode("externalId eq \"ext-42\""))).at("/Resources/0/id").asString())
                .isEqualTo(group.id());
        assertThat(json(get("/scim/v2/Groups?filter=" + encode("meta.lastModified gt \"2000-01-01T00:00:00Z\" and id eq \""
                + group.id() + "\""))).get("totalResults").asInt()).isEqualTo(1);
        HttpResponse<String> invalid = get("/scim/v2/Groups?filter=" + encode("owner eq \"x\""));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("scimType").asString()).isEqualTo("invalidFilter");
    }

    @Test
    void pagesAreStableAndSortableByDisplayName() throws Exception {
        for (String name : List.of("delta", "Alpha", "charlie", "Bravo", "echo")) {
            group(name);
        }

        JsonNode firstPage = json(get("/scim/v2/Groups?sortBy=displayName&startIndex=1&count=2&excludedAttributes=members"));
        JsonNode secondPage = json(get("/scim/v2/Groups?sortBy=displayName&startIndex=3&count=2&excludedAttributes=members"));
        JsonNode descending = json(get("/scim/v2/Groups?sortBy=displayName&sortOrder=descending&count=1"));
        JsonNode none = json(get("/scim/v2/Groups?count=0"));

        assertThat(firstPage.get("totalResults").asInt()).isEqualTo(5);
        assertThat(names(firstPage)).containsExactly("Alpha", "Bravo");
        assertThat(names(secondPage)).containsExactly("charlie", "delta");
        assertThat(secondPage.get("startIndex").asInt()).isEqualTo(3);
        assertThat(names(descending)).containsExactly("echo");
        assertThat(none.get("itemsPerPage").asInt()).isZero();
        assertThat(none.get("totalResults").asInt()).isEqualTo(5);
        assertThat(get("/scim/v2/Groups?sortBy=members").statusCode()).isEqualTo(400);
    }

    @Test
    void cursorPagingWalksEveryGroupOnceAndIfNoneMatchIsNotModified() throws Exception {
        List<String> created = new ArrayList<>();
        for (String name : List.of("c1", "c2", "c3")) {
            created.add(group(name).id());
        }

        JsonNode first = json(get("/scim/v2/Groups?cursor=&count=2&excludedAttributes=members"));
        JsonNode second = json(get("/scim/v2/Groups?cursor=" + first.get("nextCursor").asString() + "&count=2"));
        HttpResponse<String> notModified = send(request("/scim/v2/Groups/" + created.get(0)).header("If-None-Match", "W/\"1\"").GET());

        assertThat(first.has("startIndex")).isFalse();
        assertThat(names(first)).containsExactly("c1", "c2");
        assertThat(names(second)).containsExactly("c3");
        assertThat(second.has("nextCursor")).isFalse();
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).hasValue("W/\"1\"");
    }

    @Test
    void searchByPostTakesTheSameParametersFromTheBody() throws Exception {
        StoredGroup group = group("Searched", user("ann", null));
        group("Not this");

        JsonNode found = json(post("/scim/v2/Groups/.search", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName sw \\"sea\\"",
                 "excludedAttributes":["members"],"startIndex":1,"count":10,"sortBy":"meta.created"}"""));

        assertThat(found.get("totalResults").asInt()).isEqualTo(1);
        assertThat(found.at("/Resources/0/id").asString()).isEqualTo(group.id());
        assertThat(found.at("/Resources/0").has("members")).isFalse();
    }

    @Test
    void aLargeGroupIsStreamedWithEveryMember() throws Exception {
        StoredGroup group = group("Everyone");
        int members = 20_000;
        jdbc().sql("""
                insert into scim.users (tenant_id, id, user_name, active, document, version, created_at, last_modified)
                select ?, gen_random_uuid()::text, 'u' || g, true, '{}'::jsonb, 1, now(), now() from generate_series(1, ?) g""")
                .params(tenant, members).update();
        jdbc().sql(
                "insert into scim.group_members (tenant_id, group_id, user_id) select tenant_id, ?, id from scim.users where tenant_id = ?")
                .params(group.id(), tenant).update();

        HttpResponse<String> response = get("/scim/v2/Groups/" + group.id());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).as("written as it is read, not buffered").isEmpty();
        JsonNode body = json(response);
        assertThat(body.get("members").size()).isEqualTo(members);
        assertThat(body.get("members").valueStream().map(m -> m.get("value").asString()).distinct().count()).isEqualTo(members);
        assertThat(json(get("/scim/v2/Groups?filter=" + encode("id eq \"" + group.id() + "\""))).at("/Resources/0/members").size())
                .isEqualTo(members);
    }

    @Test
    void unknownMalformedAndOtherTenantsGroupsAreNotFound() throws Exception {
        TenantTokens tokens = new TenantTokens(dataSource);
        String other = "t-" + UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(other);
        String theirs = UUID.randomUUID().toString();
        new Groups(dataSource).insert(new StoredGroup(other, theirs,
                ScimGroups.validateForWrite(EventCodec.mapper().readTree("{\"displayName\":\"Theirs\"}")).document(), 0, 1, now(), now()));

        for (String id : List.of(UUID.randomUUID().toString(), "010101001010101011001010101011", theirs)) {
            HttpResponse<String> response = get("/scim/v2/Groups/" + id);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response).get("status").asString()).isEqualTo("404");
        }
        assertThat(json(get("/scim/v2/Groups?filter=" + encode("displayName eq \"Theirs\""))).get("totalResults").asInt()).isZero();
        assertThat(send(request("/scim/v2/Groups/" + UUID.randomUUID()).method("PATCH", body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members"}]}""")))
                .statusCode()).as("answered by the worker, which is not running here").isEqualTo(503);
        assertThat(send(request("/scim/v2/Groups/not-a-uuid").DELETE()).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidWritesAreRejectedBeforeAnythingIsPublished() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            HttpResponse<String> noName = post("/scim/v2/Groups", "{\"externalId\":\"" + marker + "\",\"members\":[]}");
            HttpResponse<String> notAUserOrGroup = post("/scim/v2/Groups", "{\"displayName\":\"" + marker
                    + "\",\"members\":[{\"value\":\"g1\",\"type\":\"Device\"}]}");
            HttpResponse<String> badPath = patch("/scim/v2/Groups/" + UUID.randomUUID(), "[{\"op\":\"add\",\"path\":\"owners\",\"value\":\""
                    + marker + "\"}]");
            HttpResponse<String> badFilter = patch("/scim/v2/Groups/" + UUID.randomUUID(),
                    "[{\"op\":\"remove\",\"path\":\"members[display eq \\\"" + marker + "\\\"]\"}]");
            StringBuilder many = new StringBuilder();
            for (int i = 0; i <= 1000; i++) {
                many.append(i == 0 ? "" : ",").append("{\"value\":\"").append(i).append("\"}");
            }
            HttpResponse<String> tooMany = post("/scim/v2/Groups", "{\"displayName\":\"" + marker + "\",\"members\":[" + many + "]}");
            HttpResponse<String> tooManyPatched = patch("/scim/v2/Groups/" + UUID.randomUUID(),
                    "[{\"op\":\"add\",\"path\":\"members\",\"value\":[" + many + "]}]");

            assertThat(json(noName).get("scimType").asString()).isEqualTo("invalidValue");
            assertThat(json(notAUserOrGroup).get("scimType").asString()).isEqualTo("invalidValue");
            assertThat(json(badPath).get("scimType").asString()).isEqualTo("invalidPath");
            assertThat(json(badFilter).get("scimType").asString()).isEqualTo("invalidFilter");
            for (HttpResponse<String> response : List.of(tooMany, tooManyPatched)) {
                assertThat(response.statusCode()).as("over scimflow.ingress.limits.max-members-per-request (1000)").isEqualTo(400);
                assertThat(json(response).get("scimType").asString()).isEqualTo("tooMany");
            }
            assertThat(changes.records(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker))).isEmpty();
        }
    }

    /**
     * Okta's Push Groups as far as the ingress reaches without a worker: every request is accepted, validated and
     * published as the group change the worker IT replays (GroupChangeApplicationIT#oktaPushGroupsSequenceAppliesInOrder).
     */
    @Test
    void oktaPushGroupsRequestsBecomeGroupChangesKeyedByGroup() throws Exception {
        String ann = user("ann@example.com", null);
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            assertThat(json(get("/scim/v2/Groups?filter=" + encode("displayName eq \"Okta Push\"") + "&startIndex=1&count=100"))
                    .get("totalResults").asInt()).isZero();
            HttpResponse<String> created = post("/scim/v2/Groups", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta Push",
                     "members":[{"value":"%s","display":"ann@example.com"}]}""".formatted(ann));
            ScimChange create = awaitChange(changes, "Okta Push");
            String id = create.resourceId();
            patch("/scim/v2/Groups/" + id, "[{\"op\":\"replace\",\"value\":{\"id\":\"" + id + "\",\"displayName\":\"Okta Pushed\"}}]");
            patch("/scim/v2/Groups/" + id, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + ann + "\\\"]\"}]");
            send(request("/scim/v2/Groups/" + id).DELETE());

            assertThat(created.statusCode()).isEqualTo(503);
            assertThat(create.resourceType()).isEqualTo(ResourceType.GROUP);
            assertThat(create.operation()).isEqualTo(ChangeOperation.CREATE);
            assertThat(create.body()).isEqualTo(EventCodec.mapper().readTree("""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta Push",
                     "members":[{"value":"%s"}]}""".formatted(ann)));
            List<ScimChange> all = await().until(() -> changesOf(changes, id), list -> list.size() == 4);
            assertThat(all).extracting(ScimChange::operation).containsExactly(ChangeOperation.CREATE, ChangeOperation.PATCH,
                    ChangeOperation.PATCH, ChangeOperation.DELETE);
            assertThat(all).allSatisfy(change -> assertThat(change.key()).isEqualTo(tenant + ":" + id));
        }
    }

    /** Entra's group requests, as far as the ingress reaches without a worker (see the worker IT for the rest). */
    @Test
    void entraGroupRequestsAreAcceptedAndPublishedInOrder() throws Exception {
        String ann = user("ann@contoso.com", null);
        StoredGroup existing = group("Entra Existing", ann);
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            post("/scim/v2/Groups", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
                                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                     "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Entra New","meta":{"resourceType":"Group"}}""");
            JsonNode read = json(get("/scim/v2/Groups/" + existing.id() + "?excludedAttributes=members"));
            patch("/scim/v2/Groups/" + existing.id(), """
                    [{"name":"addMember","op":"Add","path":"members","value":[{"$ref":null,"value":"%s"}]}]""".formatted(ann));
            patch("/scim/v2/Groups/" + existing.id(), """
                    [{"name":"removeMember","op":"Remove","path":"members","value":[{"$ref":null,"value":"%s"}]}]""".formatted(ann));
            patch("/scim/v2/Groups/" + existing.id(), "[{\"op\":\"Remove\",\"path\":\"members[value eq \\\"" + ann + "\\\"]\"}]");
            send(request("/scim/v2/Groups/" + existing.id()).DELETE());

            assertThat(read.has("members")).isFalse();
            assertThat(read.get("displayName").asString()).isEqualTo("Entra Existing");
            ScimChange create = awaitChange(changes, "Entra New");
            assertThat(create.body().get("externalId").asString()).isEqualTo("8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
            assertThat(create.body().get("schemas"))
                    .isEqualTo(EventCodec.mapper().readTree("[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]"));
            List<ScimChange> all = await().until(() -> changesOf(changes, existing.id()), list -> list.size() == 4);
            assertThat(all).extracting(ScimChange::operation).containsExactly(ChangeOperation.PATCH, ChangeOperation.PATCH,
                    ChangeOperation.PATCH, ChangeOperation.DELETE);
        }
    }

    // --- fixture

    private ScimChange awaitChange(TopicReader changes, String marker) {
        return await().until(() -> changes.records(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker)),
                list -> !list.isEmpty()).stream().map(r -> EventCodec.change(r.value())).findFirst().orElseThrow();
    }

    private List<ScimChange> changesOf(TopicReader changes, String groupId) {
        String key = Topics.resourceKey(tenant, groupId);
        return changes.records(r -> key.equals(r.key())).stream().map(r -> EventCodec.change(r.value())).toList();
    }

    private static List<String> names(JsonNode list) {
        return list.get("Resources").valueStream().map(g -> g.get("displayName").asString()).toList();
    }

    private String user(String userName, String displayName) {
        String id = UUID.randomUUID().toString();
        String document = displayName == null
                ? "{\"userName\":\"" + userName + "\"}"
                : "{\"userName\":\"" + userName + "\",\"displayName\":\"" + displayName + "\"}";
        jdbc().sql("""
                insert into scim.users (tenant_id, id, user_name, active, document, version, created_at, last_modified)
                values (?, ?, ?, true, ?::jsonb, 1, now(), now())""")
                .params(tenant, id, userName, document).update();
        return id;
    }

    private StoredGroup group(String displayName, String... members) {
        return group(displayName, members, null);
    }

    private StoredGroup group(String displayName, String[] members, String externalId) {
        String body = "{\"displayName\":\"" + displayName + "\"" + (externalId == null ? "" : ",\"externalId\":\"" + externalId + "\"")
                + "}";
        List<String> ids = members == null ? List.of() : List.of(members);
        StoredGroup group = new StoredGroup(tenant, UUID.randomUUID().toString(),
                ScimGroups.validateForWrite(EventCodec.mapper().readTree(body)).document(), ids.size(), 1, now(), now());
        Groups groups = new Groups(dataSource);
        groups.insert(group);
        groups.addMembers(tenant, group.id(), new ArrayList<>(ids));
        return group;
    }

    private JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }

    /** Each stored resource a millisecond after the previous one, so that lists come back in the order stored. */
    private static Instant now() {
        return CreationTimes.next();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/scim+json").POST(body(json)));
    }

    private HttpResponse<String> patch(String path, String operations) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/scim+json").method("PATCH", body(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":" + operations + "}")));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return EventCodec.mapper().readTree(response.body());
    }
}
