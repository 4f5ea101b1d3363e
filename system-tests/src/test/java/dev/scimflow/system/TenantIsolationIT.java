package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;
import tools.jackson.databind.JsonNode;

/**
 * Tenant isolation through the real pipeline, endpoint by endpoint: tenant B, holding a valid token of its own, uses
 * tenant A's ids, filters, searches and cursors, and never reads, changes or learns of anything of A's — 404 or an
 * empty list, exactly as for ids that do not exist. Afterwards A's resources are unchanged.
 */
class TenantIsolationIT {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final Pipeline pipeline = Pipeline.get();
    private ScimHttp a;
    private ScimHttp b;
    private String userA;
    private String groupA;

    @BeforeEach
    void twoTenantsAndTenantAHasAUserAndAGroup() {
        a = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "tenant A");
        b = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "tenant B");
        Answer user = a.post("/Users", """
                {"userName":"alice@a.example","externalId":"ext-alice","emails":[{"value":"alice@a.example","type":"work"}]}""");
        assertThat(user.status()).isEqualTo(201);
        userA = user.body().get("id").asString();
        Answer group = a.post("/Groups", """
                {"displayName":"A-Admins","members":[{"value":"%s"}]}""".formatted(userA));
        assertThat(group.status()).isEqualTo(201);
        groupA = group.body().get("id").asString();
        assertThat(b.post("/Users", "{\"userName\":\"bob@b.example\"}").status()).isEqualTo(201);
    }

    @Test
    void anotherTenantsUserIsNotFoundByIdForEveryMethod() {
        assertThat(b.get("/Users/" + userA).status()).isEqualTo(404);
        assertThat(b.put("/Users/" + userA, "{\"userName\":\"taken-over@b.example\",\"active\":false}").status()).isEqualTo(404);
        assertThat(b.patch("/Users/" + userA, """
                {"schemas":["%s"],"Operations":[{"op":"replace","path":"active","value":false}]}""".formatted(PATCH_OP)).status())
                .isEqualTo(404);
        assertThat(b.delete("/Users/" + userA).status()).isEqualTo(404);

        Answer still = a.get("/Users/" + userA);
        assertThat(still.status()).isEqualTo(200);
        assertThat(still.body().get("active").asBoolean()).isTrue();
        assertThat(still.body().get("userName").asString()).isEqualTo("alice@a.example");
        assertThat(still.header("ETag")).isEqualTo("W/\"1\"");
    }

    @Test
    void filtersAndSearchesOfAnotherTenantFindNothingOfIt() {
        List<String> filters = List.of("userName eq \"alice@a.example\"", "id eq \"" + userA + "\"", "externalId eq \"ext-alice\"",
                "emails.value eq \"alice@a.example\"", "emails[value co \"a.example\"]", "userName pr",
                "not (userName eq \"bob@b.example\")",
                "userName sw \"a\" or userName sw \"b\"");
        for (String filter : filters) {
            Answer listed = b.get("/Users?filter=" + ScimHttp.query(filter));
            Answer searched = b.post("/Users/.search", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"filter\":"
                    + ScimHttp.JSON.writeValueAsString(filter) + "}");
            for (Answer answer : List.of(listed, searched)) {
                assertThat(answer.status()).as(filter).isEqualTo(200);
                assertThat(ids(answer.body())).as(filter).doesNotContain(userA);
                assertThat(answer.body().toString()).as(filter).doesNotContain("alice@a.example");
            }
        }
        assertThat(b.get("/Users").body().get("totalResults").asInt()).as("B counts only its own").isEqualTo(1);
    }

    @Test
    void aCursorFromAnotherTenantPagesOnlyThroughTheCallersOwnUsers() {
        for (int i = 0; i < 3; i++) {
            assertThat(a.post("/Users", "{\"userName\":\"a" + i + "@a.example\"}").status()).isEqualTo(201);
        }
        Answer firstPageOfA = a.get("/Users?cursor=&count=1");
        String cursorOfA = firstPageOfA.body().get("nextCursor").asString();
        assertThat(cursorOfA).isNotBlank();

        Answer withTheirCursor = b.get("/Users?cursor=" + ScimHttp.query(cursorOfA) + "&count=100");
        Answer searchWithTheirCursor = b.post("/Users/.search", "{\"cursor\":\"" + cursorOfA + "\",\"count\":100}");

        for (Answer answer : List.of(withTheirCursor, searchWithTheirCursor)) {
            assertThat(answer.status()).isIn(200, 400);
            if (answer.status() == 200) {
                assertThat(answer.body().toString()).doesNotContain("a.example");
                assertThat(answer.body().get("totalResults").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void anotherTenantsGroupIsNotFoundAndItsUsersCannotBeMadeMembers() {
        assertThat(b.get("/Groups/" + groupA).status()).isEqualTo(404);
        assertThat(b.put("/Groups/" + groupA, "{\"displayName\":\"B-owned\"}").status()).isEqualTo(404);
        assertThat(b.patch("/Groups/" + groupA, """
                {"schemas":["%s"],"Operations":[{"op":"remove","path":"members"}]}""".formatted(PATCH_OP)).status()).isEqualTo(404);
        assertThat(b.delete("/Groups/" + groupA).status()).isEqualTo(404);
        for (String filter : List.of("displayName eq \"A-Admins\"", "id eq \"" + groupA + "\"", "displayName pr")) {
            Answer listed = b.get("/Groups?filter=" + ScimHttp.query(filter));
            assertThat(listed.status()).as(filter).isEqualTo(200);
            assertThat(listed.body().toString()).as(filter).doesNotContain(groupA).doesNotContain("A-Admins");
        }
        Answer memberFilter = b.get("/Groups?filter=" + ScimHttp.query("members.value eq \"" + userA + "\""));
        assertThat(memberFilter.status()).isIn(200, 400);
        assertThat(memberFilter.body().toString()).doesNotContain(groupA);

        Answer stolenMember = b.post("/Groups", "{\"displayName\":\"B-Group\",\"members\":[{\"value\":\"" + userA + "\"}]}");
        assertThat(stolenMember.status()).as("another tenant's user is no valid member").isEqualTo(400);
        Answer ownGroup = b.post("/Groups", "{\"displayName\":\"B-Group\"}");
        assertThat(ownGroup.status()).isEqualTo(201);
        Answer addStolen = b.patch("/Groups/" + ownGroup.body().get("id").asString(), """
                {"schemas":["%s"],"Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}""".formatted(PATCH_OP, userA));
        assertThat(addStolen.status()).isEqualTo(400);

        Answer stillA = a.get("/Groups/" + groupA);
        assertThat(stillA.status()).isEqualTo(200);
        assertThat(stillA.body().get("displayName").asString()).isEqualTo("A-Admins");
        assertThat(stillA.body().get("members").get(0).get("value").asString()).isEqualTo(userA);
        assertThat(a.get("/Users/" + userA).body().toString()).doesNotContain("B-Group");
    }

    @Test
    void groupSearchesAndCursorsOfAnotherTenantFindNothingOfIt() {
        for (int i = 0; i < 2; i++) {
            assertThat(a.post("/Groups", "{\"displayName\":\"A-" + i + "\"}").status()).isEqualTo(201);
        }
        assertThat(b.post("/Groups", "{\"displayName\":\"B-Only\"}").status()).isEqualTo(201);
        for (String filter : List.of("displayName eq \"A-Admins\"", "id eq \"" + groupA + "\"", "displayName sw \"A\"")) {
            Answer searched = b.post("/Groups/.search", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"filter\":"
                    + ScimHttp.JSON.writeValueAsString(filter) + "}");
            assertThat(searched.status()).as(filter).isEqualTo(200);
            assertThat(searched.body().get("totalResults").asInt()).as(filter).isZero();
        }
        Answer firstPageOfA = a.get("/Groups?cursor=&count=1");
        assertThat(firstPageOfA.status()).isEqualTo(200);
        String cursorOfA = firstPageOfA.body().path("nextCursor").asString("");
        assertThat(cursorOfA).isNotBlank();
        Answer withTheirCursor = b.get("/Groups?cursor=" + ScimHttp.query(cursorOfA) + "&count=100");
        assertThat(withTheirCursor.status()).isIn(200, 400);
        assertThat(withTheirCursor.body().toString()).doesNotContain("A-").doesNotContain(groupA);
    }

    @Test
    void theSameUserNameInTwoTenantsIsTwoUsersAndRevealsNothing() {
        Answer created = b.post("/Users", "{\"userName\":\"alice@a.example\"}");

        assertThat(created.status()).as("uniqueness is per tenant: no 409 that would reveal A's user").isEqualTo(201);
        assertThat(created.body().get("id").asString()).isNotEqualTo(userA);
        assertThat(a.get("/Users?filter=" + ScimHttp.query("userName eq \"alice@a.example\"")).body().get("totalResults").asInt())
                .isEqualTo(1);
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("Resources").forEach(resource -> ids.add(resource.path("id").asString()));
        return ids;
    }
}
