package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;
import tools.jackson.databind.JsonNode;

/**
 * Okta's Push Groups, request by request as Okta sends them (its SCIM 2.0 guide), through the real pipeline:
 * look up, create, read back, rename with the id in a path-less replace, add members, remove one by value
 * filter, delete. A deleted user leaves the group.
 */
class OktaGroupsIT {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final Pipeline pipeline = Pipeline.get();
    private ScimHttp okta;

    @BeforeEach
    void tenant() {
        okta = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "Okta SCIM Client 1.0.0");
    }

    @Test
    void pushGroupsCreatesRenamesChangesMembersAndDeletes() {
        String ann = user("ann@example.com");
        String bob = user("bob@example.com");
        assertThat(okta.get("/Groups?filter=" + ScimHttp.query("displayName eq \"Engineering\"") + "&startIndex=1&count=100")
                .body().get("totalResults").asInt()).isZero();

        Answer created = okta.post("/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[]}""");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asString();
        assertThat(created.header("Location")).isEqualTo(pipeline.scimBaseUrl + "/Groups/" + id);
        assertThat(created.header("ETag")).isEqualTo("W/\"1\"");
        assertThat(created.body().at("/meta/resourceType").asString()).isEqualTo("Group");
        assertThat(okta.get("/Groups/" + id).body().get("displayName").asString()).isEqualTo("Engineering");

        Answer renamed = okta.patch("/Groups/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"id":"%s","displayName":"Platform"}}]}"""
                .formatted(PATCH_OP, id));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().get("displayName").asString()).isEqualTo("Platform");
        assertThat(renamed.header("ETag")).isEqualTo("W/\"2\"");

        Answer added = okta.patch("/Groups/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"add","path":"members",
                 "value":[{"value":"%s","display":"ann@example.com"},{"value":"%s","display":"bob@example.com"}]}]}"""
                .formatted(PATCH_OP, ann, bob));
        assertThat(added.status()).isEqualTo(200);
        assertThat(memberIds(added.body())).containsExactlyInAnyOrder(ann, bob);
        JsonNode member = added.body().get("members").get(0);
        assertThat(member.get("$ref").asString()).isEqualTo(pipeline.scimBaseUrl + "/Users/" + member.get("value").asString());
        assertThat(member.get("type").asString()).isEqualTo("User");

        Answer removed = okta.patch("/Groups/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"remove","path":"members[value eq \\"%s\\"]"}]}""".formatted(PATCH_OP, ann));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(memberIds(okta.get("/Groups/" + id).body())).containsExactly(bob);

        assertThat(okta.delete("/Groups/" + id).status()).isEqualTo(204);
        assertThat(okta.get("/Groups/" + id).status()).isEqualTo(404);
    }

    @Test
    void aDuplicateDisplayNameIsAConflictAndAnUnknownMemberIsInvalidValue() {
        assertThat(okta.post("/Groups", "{\"displayName\":\"Sales\"}").status()).isEqualTo(201);

        Answer duplicate = okta.post("/Groups", "{\"displayName\":\"SALES\"}");
        Answer unknown = okta.post("/Groups",
                "{\"displayName\":\"Other\",\"members\":[{\"value\":\"" + java.util.UUID.randomUUID() + "\"}]}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body().get("scimType").asString()).isEqualTo("uniqueness");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("scimType").asString()).isEqualTo("invalidValue");
    }

    @Test
    void aDeletedUserLeavesItsGroups() {
        String ann = user("leaver@example.com");
        String bob = user("stayer@example.com");
        String id = okta.post("/Groups", """
                {"displayName":"Leavers","members":[{"value":"%s"},{"value":"%s"}]}""".formatted(ann, bob)).body().get("id").asString();

        assertThat(okta.delete("/Users/" + ann).status()).isEqualTo(204);

        Answer group = okta.get("/Groups/" + id);
        assertThat(memberIds(group.body())).containsExactly(bob);
        assertThat(group.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(okta.get("/Groups?filter=" + ScimHttp.query("members[value eq \"" + ann + "\"]")).body().get("totalResults").asInt())
                .isZero();
    }

    private String user(String userName) {
        Answer created = okta.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","active":true}""".formatted(userName));
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private static java.util.List<String> memberIds(JsonNode group) {
        return group.get("members").valueStream().map(m -> m.get("value").asString()).toList();
    }
}
