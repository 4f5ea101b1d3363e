package dev.scimflow.scim;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes the parsers and engines that take client input in scim-core: the PATCH path parser, the PATCH engine
 * (parse, then apply to a stored user) and user validation. Random inputs from a SCIM grammar, and the same
 * mutated, must each be accepted or refused with a ScimException (the ingress's 4xx), never escape as another
 * exception (a 500) and never take long. Tries: {@code -Dfuzz.tries} (see {@link Fuzz}).
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

  @Example
  void thePatchPathParserAcceptsOrRefusesEveryPath() {
    Fuzz.run("patch-path", CI_TRIES, Arbitraries.oneOf(ScimGrammar.paths(), Fuzz.mutated(ScimGrammar.paths())), path -> {
      try {
        AttributePath.parse(path);
      } catch (ScimException refused) {
        // refused paths must also be refused the same way inside a PATCH request
      }
      UserPatch.parse(Json.patch("[{\"op\":\"replace\",\"path\":" + JSON.writeValueAsString(path) + ",\"value\":\"x\"}]"));
    });
  }

  @Example
  void thePatchEngineAppliesOrRefusesEveryPatch() {
    Arbitrary<JsonNode> patches = Arbitraries.oneOf(ScimGrammar.patches(), mutatedJson(ScimGrammar.patches()));
    Fuzz.run("patch-engine", CI_TRIES, Combinators.combine(patches, Arbitraries.of(STORED)).as(List::of), input -> {
      UserPatch patch = UserPatch.parse((JsonNode) input.get(0));
      ObjectNode result = patch.applyTo((JsonNode) input.get(1));
      ScimUsers.validateForWrite(result);
    });
  }

  @Example
  void userValidationAcceptsOrRefusesEveryBody() {
    Fuzz.run("user-validation", CI_TRIES, Arbitraries.oneOf(ScimGrammar.users(), mutatedJson(ScimGrammar.users())),
        ScimUsers::validateForWrite);
  }

  /** JSON texts edited at random, kept when they still parse (what does not parse never reaches scim-core). */
  private static Arbitrary<JsonNode> mutatedJson(Arbitrary<JsonNode> documents) {
    return Fuzz.mutated(documents.map(JsonNode::toString)).map(text -> {
      try {
        return JSON.readTree(text);
      } catch (JacksonException unparseable) {
        return null;
      }
    }).filter(node -> node != null && node.isObject());
  }
}
