package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class UserPatchApplyTest {

    private static final String ENTERPRISE = ScimSchemas.ENTERPRISE_USER;

    private final ObjectNode alice = ScimUsers.validateForWrite(Json.parse("""
            {"userName":"alice@example.com","name":{"givenName":"Alice","familyName":"Smith"},
             "emails":[{"value":"alice@home.example","type":"home","primary":true}]}"""));

    private ObjectNode apply(String operations) {
        return UserPatch.parse(Json.patch(operations)).applyTo(alice);
    }

    private ScimException rejection(String operations) {
        ObjectNode before = alice.deepCopy();
        Throwable thrown = catchThrowable(() -> apply(operations));
        assertThat(thrown).isInstanceOf(ScimException.class);
        assertThat(alice).as("stored document untouched").isEqualTo(before);
        return (ScimException) thrown;
    }

    @Test
    void oktaDeactivatesWithAPathlessReplaceCarryingTheId() {
        var user = apply("[{\"op\":\"replace\",\"value\":{\"id\":\"6c9f0d1e\",\"active\":false}}]");

        assertThat(user.get("active").booleanValue()).isFalse();
        assertThat(user.has("id")).isFalse();
    }

    @Test
    void activeWithAPathTakesABoolean() {
        assertThat(apply("[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]").get("active").booleanValue()).isFalse();
    }

    @Test
    void activeWithAPathTakesEntraStringBooleans() {
        var user = apply("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]");

        assertThat(user.get("active").isBoolean()).isTrue();
        assertThat(user.get("active").booleanValue()).isFalse();
        assertThat(UserPatch.parse(Json.patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"True\"}]"))
                .applyTo(user).get("active").booleanValue()).isTrue();
    }

    @Test
    void entraConsolidatedPatchWithDottedAndUrnQualifiedKeys() {
        var user = apply("""
                [{"op":"Replace","value":{
                    "name.givenName":"Al",
                    "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName":"Smythe",
                    "displayName":"Al Smythe",
                    "active":"False",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"R&D",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":"m-1"}}]""");

        assertThat(user.get("name")).isEqualTo(Json.parse("{\"givenName\":\"Al\",\"familyName\":\"Smythe\"}"));
        assertThat(user.get("displayName").asString()).isEqualTo("Al Smythe");
        assertThat(user.get("active").booleanValue()).isFalse();
        assertThat(user.get(ENTERPRISE)).isEqualTo(Json.parse("{\"department\":\"R&D\",\"manager\":{\"value\":\"m-1\"}}"));
        assertThat(user.get("schemas")).isEqualTo(Json.parse("[\"" + ScimSchemas.USER + "\",\"" + ENTERPRISE + "\"]"));
    }

    @Test
    void entraAddOnAPreviouslyEmptyAttributeSetsIt() {
        var user = apply("""
                [{"op":"Add","path":"title","value":"Engineer"},
                 {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"42"}]""");

        assertThat(user.get("title").asString()).isEqualTo("Engineer");
        assertThat(user.get(ENTERPRISE).get("employeeNumber").asString()).isEqualTo("42");
    }

    @Test
    void addOnASingleValuedAttributeThatHasAValueReplacesIt() {
        assertThat(apply("[{\"op\":\"add\",\"path\":\"userName\",\"value\":\"al@example.com\"}]").get("userName").asString())
                .isEqualTo("al@example.com");
    }

    @Test
    void replacingTheWorkEmailOfAUserWithoutOneCreatesIt() {
        var user = apply("[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"alice@work.example\"}]");

        assertThat(user.get("emails")).isEqualTo(Json.parse("""
                [{"value":"alice@home.example","type":"home","primary":true},{"value":"alice@work.example","type":"work"}]"""));
    }

    @Test
    void replacingTheWorkEmailOfAUserWithOneUpdatesItInPlace() {
        var user = apply("""
                [{"op":"replace","path":"emails[type eq \\"home\\"].value","value":"alice@new.example"},
                 {"op":"add","path":"emails[type eq \\"home\\"].display","value":"Alice at home"}]""");

        assertThat(user.get("emails")).isEqualTo(Json.parse("""
                [{"value":"alice@new.example","type":"home","primary":true,"display":"Alice at home"}]"""));
    }

    @Test
    void addWithAValueFilterOnAnExistingSubAttributeOverwritesIt() {
        var user = apply("[{\"op\":\"add\",\"path\":\"emails[type eq \\\"home\\\"].value\",\"value\":\"a@new.example\"}]");

        assertThat(user.get("emails").get(0).get("value").asString()).isEqualTo("a@new.example");
        assertThat(user.get("emails").size()).isEqualTo(1);
    }

    @Test
    void phoneNumberByTypeIsCreatedWhenMissing() {
        var user = apply("[{\"op\":\"Replace\",\"path\":\"phoneNumbers[type eq \\\"mobile\\\"].value\",\"value\":\"+1 555\"}]");

        assertThat(user.get("phoneNumbers")).isEqualTo(Json.parse("[{\"value\":\"+1 555\",\"type\":\"mobile\"}]"));
    }

    @Test
    void givenNameWithAPathKeepsTheFamilyName() {
        var user = apply("[{\"op\":\"replace\",\"path\":\"name.givenName\",\"value\":\"Ally\"}]");

        assertThat(user.get("name")).isEqualTo(Json.parse("{\"givenName\":\"Ally\",\"familyName\":\"Smith\"}"));
    }

    @Test
    void givenNameWithoutAPathAsANestedObjectKeepsTheFamilyName() {
        var user = apply("[{\"op\":\"replace\",\"value\":{\"name\":{\"givenName\":\"Ally\"}}}]");

        assertThat(user.get("name")).isEqualTo(Json.parse("{\"givenName\":\"Ally\",\"familyName\":\"Smith\"}"));
    }

    @Test
    void userNameCanBeReplaced() {
        assertThat(apply("[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"alice.smith@example.com\"}]")
                .get("userName").asString()).isEqualTo("alice.smith@example.com");
    }

    @Test
    void attributeNamesInPathsAreCaseInsensitive() {
        var user = apply("""
                [{"op":"replace","path":"Name.GivenName","value":"Ally"},
                 {"op":"replace","path":"EMAILS[TYPE eq \\"home\\"].VALUE","value":"a@new.example"},
                 {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:Department","value":"Ops"}]""");

        assertThat(user.get("name").get("givenName").asString()).isEqualTo("Ally");
        assertThat(user.get("emails").get(0).get("value").asString()).isEqualTo("a@new.example");
        assertThat(user.get(ENTERPRISE).get("department").asString()).isEqualTo("Ops");
    }

    @Test
    void aWholeEnterpriseObjectWithoutPathIsMergedIntoTheExtension() {
        var withDepartment = apply("[{\"op\":\"add\",\"value\":{\"" + ENTERPRISE + "\":{\"department\":\"R&D\"}}}]");
        var user = UserPatch.parse(Json.patch("[{\"op\":\"add\",\"value\":{\"" + ENTERPRISE + "\":{\"costCenter\":\"7\"}}}]"))
                .applyTo(withDepartment);

        assertThat(user.get(ENTERPRISE)).isEqualTo(Json.parse("{\"department\":\"R&D\",\"costCenter\":\"7\"}"));
    }

    @Test
    void addToAMultiValuedAttributeMergesWithoutDuplicatingEqualValues() {
        var user = apply("""
                [{"op":"add","path":"emails","value":[
                    {"value":"alice@home.example","type":"home","primary":true},
                    {"value":"alice@work.example","type":"work"}]}]""");

        assertThat(user.get("emails")).isEqualTo(Json.parse("""
                [{"value":"alice@home.example","type":"home","primary":true},{"value":"alice@work.example","type":"work"}]"""));
    }

    @Test
    void replaceOfAMultiValuedAttributeReplacesAllItsValues() {
        var user = apply("[{\"op\":\"replace\",\"path\":\"emails\",\"value\":[{\"value\":\"only@example.com\"}]}]");

        assertThat(user.get("emails")).isEqualTo(Json.parse("[{\"value\":\"only@example.com\"}]"));
    }

    @Test
    void removeByValueFilterRemovesTheMatchingValues() {
        assertThat(apply("[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"home\\\"]\"}]").has("emails")).isFalse();
    }

    @Test
    void removeWhoseFilterMatchesNothingIsANoOp() {
        assertThat(apply("[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"work\\\"]\"}]")).isEqualTo(alice);
    }

    @Test
    void removeOfAnAbsentAttributeIsANoOp() {
        assertThat(apply("[{\"op\":\"remove\",\"path\":\"title\"}]")).isEqualTo(alice);
    }

    @Test
    void entraRemovesTheManager() {
        var withManager = apply("[{\"op\":\"Add\",\"path\":\"" + ENTERPRISE + ":manager\",\"value\":\"m-1\"}]");
        var user = UserPatch.parse(Json.patch("[{\"op\":\"Remove\",\"path\":\"" + ENTERPRISE + ":manager\"}]")).applyTo(withManager);

        assertThat(user.has(ENTERPRISE)).isFalse();
        assertThat(user.get("schemas")).isEqualTo(Json.parse("[\"" + ScimSchemas.USER + "\"]"));
    }

    @Test
    void replaceWithNullRemovesTheAttribute() {
        assertThat(apply("[{\"op\":\"replace\",\"path\":\"name.familyName\",\"value\":null}]").get("name"))
                .isEqualTo(Json.parse("{\"givenName\":\"Alice\"}"));
        assertThat(apply("[{\"op\":\"replace\",\"value\":{\"name\":null}}]").has("name")).isFalse();
    }

    @Test
    void anUnknownPathIsInvalidPathAndNothingIsApplied() {
        var error = rejection("""
                [{"op":"replace","path":"active","value":false},{"op":"replace","path":"favouriteColour","value":"blue"}]""");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.scimType()).isEqualTo("invalidPath");
    }

    @Test
    void anUnknownKeyInAPathlessValueIsInvalidPath() {
        assertThat(rejection("[{\"op\":\"replace\",\"value\":{\"active\":false,\"favouriteColour\":\"blue\"}}]").scimType())
                .isEqualTo("invalidPath");
    }

    @Test
    void removingTheUserNameIsInvalidValueAndNothingIsApplied() {
        assertThat(rejection("[{\"op\":\"remove\",\"path\":\"userName\"}]").detail()).contains("userName");
    }

    @Test
    void addingAPrimaryEmailTakesPrimaryFromTheOldOne() {
        var user = apply("""
                [{"op":"add","path":"emails","value":[{"value":"alice@work.example","type":"work","primary":true}]}]""");

        assertThat(user.get("emails")).hasSize(2);
        assertThat(user.get("emails").valueStream().filter(email -> email.path("primary").asBoolean(false))
                .map(e -> e.get("value").asString()))
                .containsExactly("alice@work.example");
        assertThat(user.at("/emails/0/primary").isBoolean()).isTrue();
    }

    @Test
    void makingAnExistingEmailPrimaryByAFilteredPathTakesPrimaryFromTheOldOne() {
        ObjectNode twoEmails = UserPatch.parse(Json.patch("""
                [{"op":"add","path":"emails","value":[{"value":"alice@work.example","type":"work"}]}]""")).applyTo(alice);

        var user = UserPatch.parse(Json.patch("""
                [{"op":"replace","path":"emails[type eq \\"work\\"].primary","value":true}]""")).applyTo(twoEmails);

        assertThat(
                user.get("emails").valueStream().filter(email -> email.path("primary").asBoolean(false)).map(e -> e.get("type").asString()))
                .containsExactly("work");
    }

    @Test
    void aPatchThatMarksTwoNewPrimariesIsInvalidValue() {
        assertThat(rejection("""
                [{"op":"add","path":"emails","value":[{"value":"a@x","primary":true},{"value":"b@x","primary":true}]}]""").scimType())
                .isEqualTo("invalidValue");
    }

    @Test
    void aValueOfTheWrongTypeIsInvalidValueButBooleanStringsStayAccepted() {
        assertThat(rejection("[{\"op\":\"replace\",\"path\":\"userName\",\"value\":42}]").scimType()).isEqualTo("invalidValue");
        assertThat(rejection("[{\"op\":\"replace\",\"value\":{\"displayName\":true}}]").scimType()).isEqualTo("invalidValue");
        assertThat(rejection("[{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":7}]}]").scimType()).isEqualTo("invalidValue");
        assertThat(apply("[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"False\"}]").get("active").booleanValue()).isFalse();
    }

    @Test
    void anInvalidRoleIsInvalidValueAndNothingIsApplied() {
        assertThat(rejection("[{\"op\":\"replace\",\"path\":\"role\",\"value\":\"root\"}]").scimType()).isEqualTo("invalidValue");
    }

    @Test
    void roleCanBeChangedCaseInsensitively() {
        assertThat(apply("[{\"op\":\"replace\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:role\",\"value\":\"Moderator\"}]")
                .get("role").asString()).isEqualTo("moderator");
    }

    @Test
    void replacingAValueFilterThatMatchesNothingWithoutSubAttributeIsNoTarget() {
        assertThat(rejection("[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"]\",\"value\":{\"value\":\"x@y\"}}]").scimType())
                .isEqualTo("noTarget");
    }

    @Test
    void passwordViaPatchIsAcceptedAndNeverStored() {
        var user = apply("""
                [{"op":"replace","path":"password","value":"s3cret"},{"op":"replace","value":{"password":"s3cret","title":"t"}}]""");

        assertThat(user.toString()).doesNotContain("s3cret");
        assertThat(user.get("title").asString()).isEqualTo("t");
    }

    @Test
    void readOnlyKeysInAPathlessValueAreIgnored() {
        var user = apply("""
                [{"op":"replace","value":{"id":"x","meta":{"version":"W/\\"9\\""},"groups":[],"schemas":["x"],"nickName":"Al"}}]""");

        assertThat(user.get("nickName").asString()).isEqualTo("Al");
        assertThat(user.has("id")).isFalse();
        assertThat(user.has("meta")).isFalse();
        assertThat(user.get("schemas")).isEqualTo(Json.parse("[\"" + ScimSchemas.USER + "\"]"));
    }

    @Test
    void operationsApplyInOrder() {
        var user = apply("""
                [{"op":"replace","path":"title","value":"first"},{"op":"replace","path":"title","value":"second"},
                 {"op":"remove","path":"nickName"}]""");

        assertThat(user.get("title").asString()).isEqualTo("second");
    }

    @Test
    void theResultIsAValidStoredDocument() {
        JsonNode user = apply("[{\"op\":\"add\",\"path\":\"emails\",\"value\":{\"Value\":\"w@x\",\"Primary\":\"False\"}}]");

        assertThat(ScimUsers.validateForWrite(user)).isEqualTo(user);
        assertThat(user.get("emails").get(1)).isEqualTo(Json.parse("{\"value\":\"w@x\",\"primary\":false}"));
    }
    @Test
    void pathlessKeysMayCarryValueFiltersAsEntraSendsThem() {
        var user = apply("""
                [{"op":"Add","value":{"emails[type eq \\"work\\"].value":"alice@work.example",
                                      "phoneNumbers[type eq \\"mobile\\"].value":"+1 555"}}]""");

        assertThat(user.get("emails").get(1)).isEqualTo(Json.parse("{\"value\":\"alice@work.example\",\"type\":\"work\"}"));
        assertThat(user.get("phoneNumbers")).isEqualTo(Json.parse("[{\"value\":\"+1 555\",\"type\":\"mobile\"}]"));
    }

    @Test
    void removingTheWholeEnterpriseExtensionRemovesAllItsAttributes() {
        var enterprise = apply(
                "[{\"op\":\"add\",\"path\":\"" + ENTERPRISE + "\",\"value\":{\"department\":\"R&D\",\"costCenter\":\"7\"}}]");
        var user = UserPatch.parse(Json.patch("[{\"op\":\"remove\",\"path\":\"" + ENTERPRISE + "\"}]")).applyTo(enterprise);

        assertThat(enterprise.get(ENTERPRISE).size()).isEqualTo(2);
        assertThat(user).isEqualTo(alice);
    }
}
