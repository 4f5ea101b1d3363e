package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.system.ScimHttp.Answer;

/**
 * Okta's user provisioning, request by request as Okta sends it (its SCIM 2.0 integration guide), through
 * the real pipeline: connection test, import paging, create with a placeholder password, GET + PUT profile
 * update, PATCH deactivate and reactivate, role sync, password push.
 */
class OktaUsersIT {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final Pipeline pipeline = Pipeline.get();
    private Pipeline.Tenant tenant;
    private ScimHttp okta;

    @BeforeEach
    void tenant() {
        // README: Okta imports Zulip's role from the core namespace, so its tenant is created --role-attribute core
        tenant = pipeline.newTenant(RoleAttribute.CORE);
        okta = new ScimHttp(pipeline.scimBaseUrl, tenant.token(), "Okta SCIM Client 1.0.0");
    }

    @Test
    void connectionTestAndImportPageAnEmptyTenant() {
        Answer probe = okta.get("/Users?startIndex=1&count=2");
        Answer unknown = okta.get("/Users/010101001010101011001010101011");

        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.header("Content-Type")).startsWith("application/scim+json");
        assertThat(probe.body().get("totalResults").isNumber()).isTrue();
        assertThat(probe.body().get("totalResults").asInt()).isZero();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("schemas").get(0).asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    }

    @Test
    void createsAfterALookupThenUpdatesDeactivatesReactivatesAndSyncsTheRole() {
        Answer lookup = okta.get("/Users?filter=" + ScimHttp.query("userName eq \"jdoe@example.com\"") + "&startIndex=1&count=100");
        assertThat(lookup.body().get("totalResults").asInt()).isZero();

        Answer created = okta.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jdoe@example.com",
                 "name":{"givenName":"John","familyName":"Doe"},
                 "emails":[{"primary":true,"value":"jdoe@example.com","type":"work"}],
                 "displayName":"John Doe","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
                 "groups":[],"password":"1mz050nq","active":true}""");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asString();
        assertThat(created.header("Location")).isEqualTo(pipeline.scimBaseUrl + "/Users/" + id);
        assertThat(created.header("ETag")).isEqualTo("W/\"1\"");
        assertThat(created.body().has("password")).isFalse();
        assertThat(created.body().at("/name/formatted").asString()).isEqualTo("John Doe");
        assertThat(created.body().get("role").asString()).isEqualTo("member");

        Answer again = okta.get("/Users?filter=" + ScimHttp.query("userName eq \"jdoe@example.com\"") + "&startIndex=1&count=100");
        assertThat(again.body().at("/Resources/0/id").asString()).isEqualTo(id);

        Answer current = okta.get("/Users/" + id);
        String profile = current.body().toString().replace("\"John\"", "\"Johnny\"").replace("\"member\"", "\"moderator\"");
        Answer updated = okta.put("/Users/" + id, profile);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().at("/name/givenName").asString()).isEqualTo("Johnny");
        assertThat(updated.body().get("role").asString()).isEqualTo("moderator");
        assertThat(updated.body().get("id").asString()).isEqualTo(id);
        assertThat(updated.header("ETag")).isEqualTo("W/\"2\"");

        Answer deactivated = okta.patch("/Users/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"active":false}}]}""".formatted(PATCH_OP));
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.body().get("active").asBoolean()).isFalse();
        assertThat(okta.get("/Users?filter=" + ScimHttp.query("userName eq \"jdoe@example.com\"")).body().at("/Resources/0/active")
                .asBoolean())
                .as("deactivated users stay visible to filters").isFalse();

        Answer reactivated = okta.patch("/Users/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"active":true}}]}""".formatted(PATCH_OP));
        assertThat(reactivated.body().get("active").asBoolean()).isTrue();

        Answer role = okta.patch("/Users/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"role":"administrator"}}]}""".formatted(PATCH_OP));
        assertThat(role.body().get("role").asString()).isEqualTo("administrator");

        Answer password = okta.patch("/Users/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"password":"new-secret-1"}}]}""".formatted(PATCH_OP));
        assertThat(password.status()).isEqualTo(200);
        assertThat(password.body().has("password")).isFalse();
    }

    @Test
    void anInvalidRoleIsRefusedWithTheValidValues() {
        Answer refused = okta.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bad-role@example.com","role":"superuser"}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("scimType").asString()).isEqualTo("invalidValue");
        assertThat(refused.body().get("detail").asString()).contains("owner", "administrator", "moderator", "member", "guest");
    }

    @Test
    void aDuplicateUserNameIsAConflict() {
        String body = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"twice@example.com"}""";
        assertThat(okta.post("/Users", body).status()).isEqualTo(201);

        Answer second = okta.post("/Users", body.replace("twice@", "TWICE@"));

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().get("scimType").asString()).isEqualTo("uniqueness");
        assertThat(second.body().get("status").asString()).isEqualTo("409");
    }
}
