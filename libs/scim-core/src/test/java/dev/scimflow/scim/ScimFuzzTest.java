package dev.scimflow.scim;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes the parsers and engines that take client input in scim-core: the PATCH path parser, the PATCH engine
 * (parse, then apply to a stored user) and user validation. Random inputs from a SCIM grammar, and the same
 * mutated, must each be accepted or refused with a ScimException (the ingress's 4xx), never escape as another
 * exception (a 500) and never take long. Each target runs as a seeded run of {@code -Dfuzz.tries} inputs and as a
 * Jazzer fuzz test over the same grammar (see {@link Fuzz}; SECURITY.md says how to run both for long).
 */
class ScimFuzzTest {

    private static final int CI_TRIES = 3_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<ObjectNode> STORED = List.of(
            ScimUsers.validateForWrite(Json.parse("{\"userName\":\"ann@example.com\"}")),
            ScimUsers.validateForWrite(Json.parse("""
                    {"userName":"bob@example.com","name":{"givenName":"Bob","familyName":"Ray"},"active":true,"role":"owner",
                     "emails":[{"value":"bob@example.com","type":"work","primary":true},{"value":"b@home.org","type":"home"}],
                     "phoneNumbers":[{"value":"+1 555","type":"mobile"}],"title":"Dr",
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"m-1"}}}""")));

    private static final Gen<String> PATHS = Gen.oneOf(ScimGrammar.paths(), Fuzz.mutated(ScimGrammar.paths()));
    private static final Gen<List<JsonNode>> PATCHES = patchesAndStoredUsers();
    private static final Gen<JsonNode> USERS = Gen.oneOf(ScimGrammar.users(), mutatedJson(ScimGrammar.users()));

    @Test
    void thePatchPathParserAcceptsOrRefusesEveryPath() {
        Fuzz.run("patch-path", CI_TRIES, PATHS, ScimFuzzTest::parsePath);
    }

    @FuzzTest
    void thePatchPathParserAcceptsOrRefusesEveryFuzzedPath(FuzzedDataProvider data) {
        Fuzz.once("patch-path", data, PATHS, ScimFuzzTest::parsePath);
    }

    @Test
    void thePatchEngineAppliesOrRefusesEveryPatch() {
        Fuzz.run("patch-engine", CI_TRIES, PATCHES, ScimFuzzTest::applyPatch);
    }

    @FuzzTest
    void thePatchEngineAppliesOrRefusesEveryFuzzedPatch(FuzzedDataProvider data) {
        Fuzz.once("patch-engine", data, PATCHES, ScimFuzzTest::applyPatch);
    }

    @Test
    void userValidationAcceptsOrRefusesEveryBody() {
        Fuzz.run("user-validation", CI_TRIES, USERS, ScimUsers::validateForWrite);
    }

    @FuzzTest
    void userValidationAcceptsOrRefusesEveryFuzzedBody(FuzzedDataProvider data) {
        Fuzz.once("user-validation", data, USERS, ScimUsers::validateForWrite);
    }

    private static void parsePath(String path) {
        try {
            AttributePath.parse(path);
        } catch (ScimException refused) {
            // refused paths must also be refused the same way inside a PATCH request
        }
        UserPatch.parse(Json.patch("[{\"op\":\"replace\",\"path\":" + JSON.writeValueAsString(path) + ",\"value\":\"x\"}]"));
    }

    private static void applyPatch(List<JsonNode> input) {
        UserPatch patch = UserPatch.parse(input.get(0));
        ObjectNode result = patch.applyTo(input.get(1));
        ScimUsers.validateForWrite(result);
    }

    private static Gen<List<JsonNode>> patchesAndStoredUsers() {
        Gen<JsonNode> patches = Gen.oneOf(ScimGrammar.patches(), mutatedJson(ScimGrammar.patches()));
        Gen<ObjectNode> stored = Gen.of(STORED);
        return r -> List.of(patches.next(r), stored.next(r));
    }

    /** JSON texts edited at random, kept when they still parse (what does not parse never reaches scim-core). */
    private static Gen<JsonNode> mutatedJson(Gen<JsonNode> documents) {
        return Fuzz.mutated(documents.map(JsonNode::toString)).map(text -> {
            try {
                return JSON.readTree(text);
            } catch (JacksonException unparseable) {
                return null;
            }
        }).filter(node -> node != null && node.isObject());
    }
}
