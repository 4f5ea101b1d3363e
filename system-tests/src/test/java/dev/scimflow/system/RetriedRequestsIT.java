package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;

/**
 * An IdP that retries a request it did not see answered (a timeout, a 503) must not create a second user
 * or apply a change twice: with an {@code Idempotency-Key}, the retry is the same change and gets the
 * first attempt's outcome.
 */
class RetriedRequestsIT {

    private final Pipeline pipeline = Pipeline.get();

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyCreatesOneUserAndAnswersAlike() {
        ScimHttp idp = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "retrying-idp");
        String key = UUID.randomUUID().toString();
        String body = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"retry@example.com"}""";

        Answer first = idp.send("POST", "/Users", body, Map.of("Idempotency-Key", key));
        Answer retry = idp.send("POST", "/Users", body, Map.of("Idempotency-Key", key));
        Answer other = idp.send("POST", "/Users", body, Map.of("Idempotency-Key", key + "-other"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body().get("id")).isEqualTo(first.body().get("id"));
        assertThat(other.status()).as("a new key is a new request: the userName is taken").isEqualTo(409);
        assertThat(idp.get("/Users?filter=" + ScimHttp.query("userName eq \"retry@example.com\"")).body().get("totalResults").asInt())
                .isEqualTo(1);
    }

    @Test
    void aRetriedPatchWithTheSameIdempotencyKeyIsAppliedOnce() {
        ScimHttp idp = new ScimHttp(pipeline.scimBaseUrl, pipeline.newTenant().token(), "retrying-idp");
        String id = idp.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"once@example.com","active":true}""")
                .body().get("id").asString();
        String deactivate = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""";

        Answer first = idp.send("PATCH", "/Users/" + id, deactivate, Map.of("Idempotency-Key", "k-1"));
        Answer retry = idp.send("PATCH", "/Users/" + id, deactivate, Map.of("Idempotency-Key", "k-1"));

        assertThat(first.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(retry.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(idp.get("/Users/" + id).header("ETag")).isEqualTo("W/\"2\"");
    }
}
