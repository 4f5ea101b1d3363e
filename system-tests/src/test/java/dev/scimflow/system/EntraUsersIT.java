package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;
import tools.jackson.databind.JsonNode;

/**
 * Microsoft Entra ID's user provisioning, request by request, through the real pipeline: Test Connection
 * with a random GUID, create with the enterprise extension, consolidated PATCH with dotted and URN keys,
 * {@code emails[type eq "work"].value}, Add of empty attributes, "False" strings, DELETE.
 */
class EntraUsersIT {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String ZULIP = "urn:scimflow:params:scim:schemas:extension:zulip:2.0:User";
    private final Pipeline pipeline = Pipeline.get();
    private Pipeline.Tenant tenant;
    private ScimHttp entra;

    @BeforeEach
    void tenant() {
        tenant = pipeline.newTenant();
        entra = new ScimHttp(pipeline.scimBaseUrl, tenant.token(), "Microsoft.Azure.ActiveDirectory");
    }

    @Test
    void testConnectionWithARandomGuidFindsNothingAndIgnoresTheFeatureFlagParameter() {
        Answer answer = entra.get("/Users?filter=" + ScimHttp.query("userName eq \"" + UUID.randomUUID() + "\"") + "&aadOptscim062020");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("totalResults").asInt()).isZero();
        assertThat(answer.body().get("Resources").size()).isZero();
    }

    @Test
    void provisionsUpdatesDisablesAndDeletesAUserAsEntraDoes() {
        String externalId = UUID.randomUUID().toString();
        Answer created = entra.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],
                 "externalId":"%s","userName":"Test_User_ab6490ee@contoso.com","active":true,"displayName":"Test User",
                 "emails":[{"primary":true,"type":"work","value":"Test_User_ab6490ee@contoso.com"}],
                 "meta":{"resourceType":"User"},
                 "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
                 "roles":[],"title":null,
                 "%s":{"employeeNumber":"1001","department":"Engineering"}}""".formatted(ENTERPRISE, externalId, ENTERPRISE));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asString();
        assertThat(created.body().at("/" + ENTERPRISE.replace("/", "~1") + "/department").asString()).isEqualTo("Engineering");
        assertThat(created.body().has("title")).isFalse();

        Answer byExternalId = entra.get("/Users?filter=" + ScimHttp.query("externalId eq \"" + externalId + "\""));
        assertThat(byExternalId.body().at("/Resources/0/id").asString()).isEqualTo(id);

        Answer patched = entra.patch("/Users/" + id + "?aadOptscim062020", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Replace","path":"displayName","value":"Tess User"},
                  {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"tess@contoso.com"},
                  {"op":"Add","path":"title","value":"Engineer"},
                  {"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 555 0100"},
                  {"op":"Replace","path":"%s:department","value":"Sales"},
                  {"op":"Replace","value":{"name.givenName":"Tess","%s:employeeNumber":"1002"}}]}"""
                .formatted(ENTERPRISE, ENTERPRISE));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("displayName").asString()).isEqualTo("Tess User");
        assertThat(patched.body().at("/emails/0/value").asString()).isEqualTo("tess@contoso.com");
        assertThat(patched.body().get("title").asString()).isEqualTo("Engineer");
        assertThat(patched.body().at("/phoneNumbers/0/type").asString()).isEqualTo("mobile");
        assertThat(patched.body().at("/name/givenName").asString()).isEqualTo("Tess");
        assertThat(patched.body().at("/" + ENTERPRISE.replace("/", "~1") + "/department").asString()).isEqualTo("Sales");
        assertThat(patched.body().at("/" + ENTERPRISE.replace("/", "~1") + "/employeeNumber").asString()).isEqualTo("1002");

        Answer byEmail = entra.get("/Users?filter=" + ScimHttp.query("emails[type eq \"work\" and value co \"tess@\"]"));
        assertThat(byEmail.body().get("totalResults").asInt()).isEqualTo(1);

        Answer disabled = entra.patch("/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Replace","path":"active","value":"False"}]}""");
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.body().get("active").isBoolean()).isTrue();
        assertThat(disabled.body().get("active").asBoolean()).isFalse();

        Answer deleted = entra.delete("/Users/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(entra.get("/Users/" + id).status()).isEqualTo(404);

        Answer reused = entra.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Test_User_ab6490ee@contoso.com"}""");
        assertThat(reused.status()).as("a deleted user's userName can be used again").isEqualTo(201);
    }

    @Test
    void syncsZulipsRoleThroughScimflowsExtensionOrTheCoreNamespaceAndReadsItInTheExtension() {
        Answer created = entra.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],"userName":"role@contoso.com","active":true,
                 "%s":{"role":"guest"}}""".formatted(ZULIP, ZULIP));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asString();
        assertThat(created.body().has("role")).isFalse();
        assertThat(created.body().at("/" + ZULIP + "/role").asString()).isEqualTo("guest");

        Answer byExtensionPath = entra.patch("/Users/" + id + "?aadOptscim062020", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Replace","path":"%s:role","value":"moderator"}]}""".formatted(ZULIP));
        Answer byCorePath = entra.patch("/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:role","value":"administrator"}]}""");

        assertThat(byExtensionPath.body().at("/" + ZULIP + "/role").asString()).isEqualTo("moderator");
        assertThat(byCorePath.body().at("/" + ZULIP + "/role").asString()).isEqualTo("administrator");
        assertThat(byCorePath.body().get("schemas").toString()).contains(ZULIP);
        assertThat(entra.get("/Users?filter=" + ScimHttp.query(ZULIP + ":role eq \"administrator\"")).body()
                .at("/Resources/0/id").asString()).isEqualTo(id);
    }

    @Test
    void anUnknownAttributePathIsInvalidPathAndNothingOfThePatchApplies() {
        String id = entra.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"atomic@contoso.com","displayName":"Before"}""")
                .body().get("id").asString();

        Answer refused = entra.patch("/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Replace","path":"displayName","value":"After"},
                  {"op":"Replace","path":"favouriteColour","value":"green"}]}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("scimType").asString()).isEqualTo("invalidPath");
        assertThat(entra.get("/Users/" + id).body().get("displayName").asString()).isEqualTo("Before");
    }

    @Test
    void aFailedEntraRequestIsInTheTenantsRequestLogWithItsScimError() {
        String id = entra.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"logged@contoso.com"}""")
                .body().get("id").asString();
        Answer refused = entra.patch("/Users/" + id + "?aadOptscim062020", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Replace","path":"favouriteColour","value":"green"}]}""");
        assertThat(refused.status()).isEqualTo(400);
        String requestId = refused.header("X-Request-Id");

        // what an operator does when Entra's provisioning log shows a failure: list the tenant's failed requests
        ScimHttp operator = ScimHttp.operatorApi(pipeline);
        await().untilAsserted(() -> {
            Answer failed = operator.get("/api/v1/requests?tenant=" + tenant.name() + "&status=4xx");
            assertThat(failed.status()).isEqualTo(200);
            assertThat(failed.body().get("items")).hasSize(1);
            JsonNode request = failed.body().at("/items/0");
            assertThat(request.get("method").asString()).isEqualTo("PATCH");
            assertThat(request.get("path").asString()).isEqualTo("/scim/v2/Users/" + id + "?aadOptscim062020");
            assertThat(request.get("status").asInt()).isEqualTo(400);
            assertThat(request.get("scimType").asString()).isEqualTo("invalidPath");
            assertThat(request.get("detail").asString()).isEqualTo(refused.body().get("detail").asString());
            assertThat(request.get("client").asString()).isEqualTo("Microsoft.Azure.ActiveDirectory");
            assertThat(request.get("requestId").asString()).isEqualTo(requestId);
            assertThat(request.toString()).doesNotContain(tenant.token()).doesNotContain("favouriteColour\",\"value");
        });
        Answer all = operator.get("/api/v1/requests?tenant=" + tenant.name());
        assertThat(all.body().at("/items/0/requestId").asString()).as("newest first").isEqualTo(requestId);
        assertThat(all.body().at("/items/1/status").asInt()).as("the create before it").isEqualTo(201);
    }

    @Test
    void deletionIsAuditedAsADeactivationWithEntraAsTheClient() {
        String id = entra.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"gone@contoso.com"}""")
                .body().get("id").asString();
        assertThat(entra.delete("/Users/" + id).status()).isEqualTo(204);

        ScimHttp audit = ScimHttp.operatorApi(pipeline);
        await().untilAsserted(() -> {
            Answer records = audit.get("/api/v1/deactivations?tenant=" + tenant.name());
            assertThat(records.status()).isEqualTo(200);
            assertThat(records.body().get("items")).hasSize(1);
            assertThat(records.body().at("/items/0/userId").asString()).isEqualTo(id);
            assertThat(records.body().at("/items/0/cause").asString()).isEqualTo("DELETE");
            assertThat(records.body().at("/items/0/clientName").asString()).isEqualTo("Microsoft.Azure.ActiveDirectory");
        });
    }
}
