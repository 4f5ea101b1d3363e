package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;

/**
 * Groups in groups (RFC 7643 §4.2) through the real pipeline, as directory sync tools send them: a department
 * group holding team groups, a user's direct and indirect groups, a filter on them, a cycle refused, and a deleted
 * team leaving its department.
 */
class NestedGroupsIT {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final Pipeline pipeline = Pipeline.get();
    private ScimHttp sync;

    @BeforeEach
    void tenant() {
        sync = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "directory-sync/1.0");
    }

    @Test
    void aTeamNestedInADepartmentMakesItsMembersIndirectMembersUntilItIsDeleted() {
        String ann = sync.post("/Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ann@example.com\"}")
                .body().get("id").asString();
        String backend = sync.post("/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Backend",
                 "members":[{"value":"%s","type":"User"}]}""".formatted(ann)).body().get("id").asString();
        Answer engineering = sync.post("/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering",
                 "members":[{"value":"%s","type":"Group"}]}""".formatted(backend));
        assertThat(engineering.status()).isEqualTo(201);
        String engineeringId = engineering.body().get("id").asString();
        assertThat(engineering.body().at("/members/0/type").asString()).isEqualTo("Group");
        assertThat(engineering.body().at("/members/0/$ref").asString()).isEqualTo(pipeline.scimBaseUrl + "/Groups/" + backend);

        Answer annRead = sync.get("/Users/" + ann);
        assertThat(annRead.body().get("groups").valueStream().map(g -> g.get("display").asString() + ":" + g.get("type").asString()))
                .containsExactly("Backend:direct", "Engineering:indirect");
        assertThat(sync.get("/Users?filter=" + ScimHttp.query("groups.value eq \"" + engineeringId + "\"")).body()
                .at("/Resources/0/id").asString()).isEqualTo(ann);

        Answer cycle = sync.patch("/Groups/" + backend, """
                {"schemas":["%s"],"Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}"""
                .formatted(PATCH_OP, engineeringId));
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.body().get("scimType").asString()).isEqualTo("invalidValue");

        assertThat(sync.delete("/Groups/" + backend).status()).isEqualTo(204);
        Answer afterDelete = sync.get("/Groups/" + engineeringId);
        assertThat(afterDelete.body().get("members")).isEmpty();
        assertThat(afterDelete.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(sync.get("/Users/" + ann).body().has("groups")).isFalse();
    }

    @Test
    void aUserGivenAsAGroupIsInvalidValue() {
        String ann = sync.post("/Users", "{\"userName\":\"typed@example.com\"}").body().get("id").asString();

        Answer refused = sync.post("/Groups", """
                {"displayName":"Typed","members":[{"value":"%s","type":"Group"}]}""".formatted(ann));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("scimType").asString()).isEqualTo("invalidValue");
    }
}
