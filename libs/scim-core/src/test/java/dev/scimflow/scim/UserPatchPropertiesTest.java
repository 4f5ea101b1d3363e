package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Properties of PATCH that must hold for any user and any patch of the given shape: 1,000 generated cases each,
 * the same every run (see {@link PropertyCase}); a failing case names its number and seed, and shows its inputs.
 */
class UserPatchPropertiesTest {

    private static final int TRIES = 1_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("usersAndReplacePatches")
    void replaceIsIdempotent(PropertyCase example, ObjectNode user, JsonNode body) {
        ObjectNode before = user.deepCopy();
        UserPatch patch = UserPatch.parse(body);

        ObjectNode once = patch.applyTo(user);
        ObjectNode twice = patch.applyTo(once);

        assertThat(twice).as("%s: %s patched by %s", example, before, body).isEqualTo(once);
        assertThat(user).as("%s: input untouched", example).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}: {1} {2} withPath={3}")
    @MethodSource("usersAndAddedEmails")
    void addToAMultiValuedAttributeNeverDuplicates(PropertyCase example, ObjectNode user, ArrayNode added, boolean withPath) {
        String operation = withPath
                ? "{\"op\":\"add\",\"path\":\"emails\",\"value\":" + added + "}"
                : "{\"op\":\"Add\",\"value\":{\"emails\":" + added + "}}";

        JsonNode emails = UserPatch.parse(Json.patch("[" + operation + "]")).applyTo(user).path("emails");

        List<JsonNode> values = new ArrayList<>(emails.values());
        String shown = "%s: %s added to %s".formatted(example, operation, user);
        assertThat(values).as(shown).doesNotHaveDuplicates();
        assertThat(values).as(shown).containsAll(added.values());
        assertThat(values).as(shown).containsAll(user.path("emails").values());
    }

    static Stream<Arguments> usersAndReplacePatches() {
        Gen<ObjectNode> users = users();
        Gen<JsonNode> patches = replacePatches();
        return PropertyCase.cases(20_261_206L, TRIES).map(example -> {
            RandomGenerator random = example.random();
            return Arguments.of(example, users.next(random), patches.next(random));
        });
    }

    static Stream<Arguments> usersAndAddedEmails() {
        Gen<ObjectNode> users = users();
        Gen<ArrayNode> emailLists = emailLists();
        return PropertyCase.cases(20_261_207L, TRIES).map(example -> {
            RandomGenerator random = example.random();
            return Arguments.of(example, users.next(random), emailLists.next(random), random.nextBoolean());
        });
    }

    private static Gen<ObjectNode> users() {
        Gen<String> userNames = words();
        Gen<String> givenNames = words().orNull(0.3);
        Gen<ArrayNode> emailLists = emailLists().orNull(0.3);
        return random -> {
            String userName = userNames.next(random);
            String givenName = givenNames.next(random);
            ArrayNode emails = emailLists.next(random);
            boolean active = random.nextBoolean();
            ObjectNode body = NODES.objectNode().put("userName", userName).put("active", active);
            if (givenName != null)
                body.putObject("name").put("givenName", givenName);
            if (emails != null)
                body.set("emails", emails);
            return ScimUsers.validateForWrite(body);
        };
    }

    private static Gen<ArrayNode> emailLists() {
        return email().list(1, 4).map(list -> NODES.arrayNode().addAll(list));
    }

    private static Gen<JsonNode> replacePatches() {
        return replaceOperation().list(1, 4).map(operations -> Json.patch(operations.toString()));
    }

    private static Gen<ObjectNode> replaceOperation() {
        Gen<JsonNode> booleans = Gen.of("true", "false", "\"True\"", "\"False\"").map(Json::parse);
        Gen<String> words = words();
        Gen<String> emailTypes = emailTypes();
        Gen<ArrayNode> emailLists = emailLists();
        return Gen.oneOf(
                booleans.map(value -> replace("active", value)),
                words.map(value -> replace("displayName", NODES.stringNode(value))),
                words.map(value -> replace("name.givenName", NODES.stringNode(value))),
                words.map(value -> replace(ScimSchemas.ENTERPRISE_USER + ":department", NODES.stringNode(value))),
                random -> {
                    String type = emailTypes.next(random);
                    String value = words.next(random);
                    return replace("emails[type eq \"" + type + "\"].value", NODES.stringNode(value + "@example.com"));
                },
                emailLists.map(value -> replace("emails", value)),
                random -> {
                    String title = words.next(random);
                    JsonNode active = booleans.next(random);
                    ObjectNode operation = NODES.objectNode().put("op", "replace");
                    operation.putObject("value").put("title", title).set("active", active);
                    return operation;
                });
    }

    private static ObjectNode replace(String path, JsonNode value) {
        return NODES.objectNode().put("op", "Replace").put("path", path).set("value", value);
    }

    private static Gen<ObjectNode> email() {
        // Few distinct values so that added and existing emails collide often. Never primary: a list may hold at most
        // one primary value, and a new one takes the mark from the old (UserPatchApplyTest pins that).
        Gen<String> locals = Gen.of("a", "b", "c");
        Gen<String> types = emailTypes();
        return random -> NODES.objectNode()
                .put("value", locals.next(random) + "@example.com").put("type", types.next(random)).put("primary", false);
    }

    private static Gen<String> emailTypes() {
        return Gen.of("work", "home", "other");
    }

    private static Gen<String> words() {
        return Gen.strings(Gen.alpha(), 1, 8);
    }
}
