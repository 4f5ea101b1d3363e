package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;

/**
 * Validation that says no, through the real pipeline, with the requests strict clients and IdPs send: a second
 * primary email by PATCH, a value of the wrong type, a body that is not JSON, a filter on discovery, a malformed
 * filter, a NUL character; and Entra's match on the work email.
 */
class StrictClientsIT {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final Pipeline pipeline = Pipeline.get();
    private ScimHttp client;

    @BeforeEach
    void tenant() {
        client = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "strict-client");
    }

    @Test
    void aPatchAddingAPrimaryEmailLeavesExactlyOnePrimary() {
        String id = client.post("/Users", """
                {"userName":"prim@example.com","emails":[{"value":"prim@home.example","type":"home","primary":true}]}""")
                .body().get("id").asString();

        Answer patched = client.patch("/Users/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"add","path":"emails",
                  "value":[{"value":"prim@work.example","type":"work","primary":true}]}]}""".formatted(PATCH_OP));
        Answer twoOnCreate = client.post("/Users", """
                {"userName":"two@example.com","emails":[{"value":"a@x.example","primary":true},{"value":"b@x.example","primary":true}]}""");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("emails").valueStream().filter(e -> e.path("primary").asBoolean(false))
                .map(e -> e.get("value").asString())).containsExactly("prim@work.example");
        assertThat(twoOnCreate.status()).isEqualTo(400);
        assertThat(twoOnCreate.body().get("scimType").asString()).isEqualTo("invalidValue");
    }

    @Test
    void aValueOfTheWrongTypeIsInvalidValueAndBooleanStringsStayAccepted() {
        String id = client.post("/Users", "{\"userName\":\"typed@example.com\"}").body().get("id").asString();

        Answer number = client.patch("/Users/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"replace","path":"userName","value":12345}]}""".formatted(PATCH_OP));
        Answer entraBoolean = client.patch("/Users/" + id, """
                {"schemas":["%s"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""".formatted(PATCH_OP));

        assertThat(number.status()).isEqualTo(400);
        assertThat(number.body().get("scimType").asString()).isEqualTo("invalidValue");
        assertThat(entraBoolean.status()).isEqualTo(200);
        assertThat(client.get("/Users/" + id).body().get("userName").asString()).isEqualTo("typed@example.com");
    }

    @Test
    void entraMatchingOnTheWorkEmailFindsTheUser() {
        String id = client.post("/Users", """
                {"userName":"match@contoso.com","emails":[{"value":"Match@Contoso.com","type":"work","primary":true}]}""")
                .body().get("id").asString();

        Answer found = client.get("/Users?filter=" + ScimHttp.query("emails[type eq \"work\"].value eq \"match@contoso.com\""));

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().at("/Resources/0/id").asString()).isEqualTo(id);
    }

    @Test
    void whatIsNotScimIsRefusedWithAScimError() {
        Answer plain = client.send("POST", "/Users", "{\"userName\":\"plain@example.com\"}", Map.of("Content-Type", "text/plain"));
        Answer discoveryFilter = client.get("/ServiceProviderConfig?filter=" + ScimHttp.query("patch.supported eq true"));
        Answer unclosed = client.get("/Users?filter=" + ScimHttp.query("emails[type eq \"work\""));
        Answer nul = client.post("/Users", "{\"userName\":\"nul\\u0000@example.com\"}");

        assertThat(plain.status()).isEqualTo(415);
        assertThat(discoveryFilter.status()).isEqualTo(403);
        assertThat(unclosed.status()).isEqualTo(400);
        assertThat(unclosed.body().get("scimType").asString()).isEqualTo("invalidFilter");
        assertThat(nul.status()).as("refused at the ingress, not left to the worker's database").isEqualTo(400);
        assertThat(nul.body().get("scimType").asString()).isEqualTo("invalidValue");
        for (Answer answer : new Answer[]{plain, discoveryFilter, unclosed, nul}) {
            assertThat(answer.header("Content-Type")).startsWith("application/scim+json");
            assertThat(answer.body().get("status").asString()).isEqualTo(String.valueOf(answer.status()));
        }
    }
}
