package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Properties of PATCH that must hold for any user and any patch of the given shape. */
class UserPatchPropertiesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property
  void replaceIsIdempotent(@ForAll("users") ObjectNode user, @ForAll("replacePatches") JsonNode body) {
    ObjectNode before = user.deepCopy();
    UserPatch patch = UserPatch.parse(body);

    ObjectNode once = patch.applyTo(user);
    ObjectNode twice = patch.applyTo(once);

    assertThat(twice).isEqualTo(once);
    assertThat(user).as("input untouched").isEqualTo(before);
  }

  @Property
  void addToAMultiValuedAttributeNeverDuplicates(@ForAll("users") ObjectNode user,
      @ForAll("emailLists") ArrayNode added, @ForAll boolean withPath) {
    String operation = withPath
        ? "{\"op\":\"add\",\"path\":\"emails\",\"value\":" + added + "}"
        : "{\"op\":\"Add\",\"value\":{\"emails\":" + added + "}}";

    JsonNode emails = UserPatch.parse(Json.patch("[" + operation + "]")).applyTo(user).path("emails");

    List<JsonNode> values = new ArrayList<>(emails.values());
    assertThat(values).doesNotHaveDuplicates();
    assertThat(values).containsAll(added.values());
    assertThat(values).containsAll(user.path("emails").values());
  }

  @Provide
  Arbitrary<ObjectNode> users() {
    return Combinators.combine(words(), words().injectNull(0.3), emailLists().injectNull(0.3), Arbitraries.of(true, false))
        .as((userName, givenName, emails, active) -> {
          ObjectNode body = NODES.objectNode().put("userName", userName).put("active", active);
          if (givenName != null) body.putObject("name").put("givenName", givenName);
          if (emails != null) body.set("emails", emails);
          return ScimUsers.validateForWrite(body);
        });
  }

  @Provide
  Arbitrary<ArrayNode> emailLists() {
    return email().list().ofMinSize(1).ofMaxSize(4).map(list -> NODES.arrayNode().addAll(list));
  }

  @Provide
  Arbitrary<JsonNode> replacePatches() {
    return replaceOperation().list().ofMinSize(1).ofMaxSize(4)
        .map(operations -> Json.patch(operations.toString()));
  }

  private Arbitrary<ObjectNode> replaceOperation() {
    Arbitrary<JsonNode> booleans = Arbitraries.of("true", "false", "\"True\"", "\"False\"").map(Json::parse);
    return Arbitraries.oneOf(
        booleans.map(value -> replace("active", value)),
        words().map(value -> replace("displayName", NODES.stringNode(value))),
        words().map(value -> replace("name.givenName", NODES.stringNode(value))),
        words().map(value -> replace(ScimSchemas.ENTERPRISE_USER + ":department", NODES.stringNode(value))),
        Combinators.combine(emailTypes(), words()).as((type, value) ->
            replace("emails[type eq \"" + type + "\"].value", NODES.stringNode(value + "@example.com"))),
        emailLists().map(value -> replace("emails", value)),
        Combinators.combine(words(), booleans).as((title, active) -> {
          ObjectNode operation = NODES.objectNode().put("op", "replace");
          operation.putObject("value").put("title", title).set("active", active);
          return operation;
        }));
  }

  private static ObjectNode replace(String path, JsonNode value) {
    return NODES.objectNode().put("op", "Replace").put("path", path).set("value", value);
  }

  private static Arbitrary<JsonNode> email() {
    // Few distinct values so that added and existing emails collide often. Never primary: a list may hold at most
    // one primary value, and a new one takes the mark from the old (UserPatchApplyTest pins that).
    return Combinators.combine(Arbitraries.of("a", "b", "c"), emailTypes(), Arbitraries.of(false))
        .as((local, type, primary) -> NODES.objectNode()
            .put("value", local + "@example.com").put("type", type).put("primary", primary));
  }

  private static Arbitrary<String> emailTypes() {
    return Arbitraries.of("work", "home", "other");
  }

  private static Arbitrary<String> words() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
  }
}
