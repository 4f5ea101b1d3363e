package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;
import tools.jackson.databind.JsonNode;

/**
 * Microsoft Entra ID's group provisioning, request by request as its SCIM guide shows them, through the real
 * pipeline: the lookup with {@code excludedAttributes=members}, create with Entra's own schema URN, rename,
 * add and remove members without the {@code aadOptscim062020} flag (path {@code members} with a value list)
 * and with it (value filter), delete.
 */
class EntraGroupsIT {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final Pipeline pipeline = Pipeline.get();
    private ScimHttp entra;

    @BeforeEach
    void tenant() {
        entra = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "Azure AD SCIM Client");
    }

    @Test
    void groupProvisioningWithAndWithoutTheFlag() {
        String ann = user("ann@contoso.com");
        String bob = user("bob@contoso.com");
        String lookup = "/Groups?excludedAttributes=members&filter=" + ScimHttp.query("displayName eq \"Contoso Sales\"");
        assertThat(entra.get(lookup).body().get("totalResults").asInt()).isZero();

        Answer created = entra.post("/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
                            "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                 "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Contoso Sales","meta":{"resourceType":"Group"}}""");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Content-Type")).startsWith("application/scim+json");
        String id = created.body().get("id").asString();
        assertThat(created.body().get("externalId").asString()).isEqualTo("8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");

        Answer read = entra.get("/Groups/" + id + "?excludedAttributes=members");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().has("members")).isFalse();
        Answer found = entra.get(lookup);
        assertThat(found.body().get("totalResults").asInt()).isEqualTo(1);
        assertThat(found.body().at("/Resources/0").has("members")).isFalse();

        Answer added = entra.patch("/Groups/" + id, """
                {"schemas":["%s"],"Operations":[{"name":"addMember","op":"Add","path":"members",
                 "value":[{"$ref":null,"value":"%s"},{"$ref":null,"value":"%s"}]}]}""".formatted(PATCH_OP, ann, bob));
        assertThat(added.status()).isEqualTo(200);
        assertThat(memberIds(entra.get("/Groups/" + id).body())).containsExactlyInAnyOrder(ann, bob);

        Answer renamed = entra.patch("/Groups/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"Replace","path":"displayName","value":"Contoso Sales EMEA"}]}"""
                .formatted(PATCH_OP));
        assertThat(renamed.body().get("displayName").asString()).isEqualTo("Contoso Sales EMEA");

        Answer removedWithoutFlag = entra.patch("/Groups/" + id, """
                {"schemas":["%s"],"Operations":[{"name":"removeMember","op":"Remove","path":"members",
                 "value":[{"$ref":null,"value":"%s"}]}]}""".formatted(PATCH_OP, ann));
        assertThat(removedWithoutFlag.status()).isEqualTo(200);
        assertThat(memberIds(entra.get("/Groups/" + id).body())).containsExactly(bob);

        Answer removedWithFlag = entra.patch("/Groups/" + id + "?aadOptscim062020", """
                {"schemas":["%s"],"Operations":[{"op":"Remove","path":"members[value eq \\"%s\\"]"}]}""".formatted(PATCH_OP, bob));
        assertThat(removedWithFlag.status()).isEqualTo(200);
        assertThat(entra.get("/Groups/" + id).body().get("members")).isEmpty();

        Answer readdedWithFlag = entra.patch("/Groups/" + id + "?aadOptscim062020", """
                {"schemas":["%s"],"Operations":[{"op":"Add","path":"members","value":[{"value":"%s"}]}]}""".formatted(PATCH_OP, ann));
        assertThat(memberIds(readdedWithFlag.body())).containsExactly(ann);

        assertThat(entra.delete("/Groups/" + id).status()).isEqualTo(204);
        assertThat(entra.get("/Groups/" + id).status()).isEqualTo(404);
        assertThat(entra.get(lookup.replace("Contoso Sales", "Contoso Sales EMEA")).body().get("totalResults").asInt()).isZero();
    }

    private String user(String userName) {
        Answer created = entra.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"%s","userName":"%s","active":true,"roles":[]}""".formatted(userName, userName));
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private static java.util.List<String> memberIds(JsonNode group) {
        return group.get("members").valueStream().map(m -> m.get("value").asString()).toList();
    }
}
