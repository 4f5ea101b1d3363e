package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class UserPatchParseTest {

    private static ScimException rejection(JsonNode body) {
        Throwable thrown = catchThrowable(() -> UserPatch.parse(body));
        assertThat(thrown).isInstanceOf(ScimException.class);
        return (ScimException) thrown;
    }

    private static String operations(int count) {
        return "[" + String.join(",", java.util.Collections.nCopies(count, "{\"op\":\"replace\",\"path\":\"title\",\"value\":\"t\"}"))
                + "]";
    }

    @Test
    void aBodyWithoutThePatchOpSchemaIsInvalidSyntax() {
        assertThat(rejection(Json.parse("{\"Operations\":[{\"op\":\"remove\",\"path\":\"title\"}]}")).scimType())
                .isEqualTo("invalidSyntax");
        assertThat(rejection(Json.parse("{\"schemas\":[\"" + ScimSchemas.USER + "\"],\"Operations\":[]}")).scimType())
                .isEqualTo("invalidSyntax");
        assertThat(rejection(Json.parse("[]")).scimType()).isEqualTo("invalidSyntax");
    }

    @Test
    void schemasHoldingSomethingOtherThanStringsIsInvalidSyntax() {
        // found by ScimFuzzTest's patch-engine target (an object where a schema URN belongs escaped as a Jackson error)
        for (String schemas : List.of("[{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"]}]", "[[\"" + ScimSchemas.PATCH_OP + "\"]]",
                "[1, null]")) {
            assertThat(rejection(Json.parse("{\"schemas\":" + schemas + ",\"Operations\":[{\"op\":\"remove\",\"path\":\"title\"}]}"))
                    .scimType()).as(schemas).isEqualTo("invalidSyntax");
        }
    }

    @Test
    void missingOrEmptyOperationsIsInvalidSyntax() {
        assertThat(rejection(Json.parse("{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"]}")).scimType()).isEqualTo("invalidSyntax");
        assertThat(rejection(Json.patch("[]")).scimType()).isEqualTo("invalidSyntax");
    }

    @Test
    void operationsKeyIsCaseInsensitive() {
        var patch = UserPatch.parse(Json.parse("{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],"
                + "\"operations\":[{\"op\":\"remove\",\"path\":\"title\"}]}"));

        assertThat(patch.operationCount()).isEqualTo(1);
    }

    @Test
    void atMostAThousandOperationsAreAccepted() {
        assertThat(UserPatch.parse(Json.patch(operations(1000))).operationCount()).isEqualTo(1000);

        var error = rejection(Json.patch(operations(1001)));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.scimType()).isEqualTo("tooMany");
    }

    @Test
    void anOpOtherThanAddReplaceRemoveIsInvalidSyntax() {
        assertThat(rejection(Json.patch("[{\"op\":\"merge\",\"path\":\"title\",\"value\":\"t\"}]")).scimType())
                .isEqualTo("invalidSyntax");
        assertThat(rejection(Json.patch("[{\"path\":\"title\",\"value\":\"t\"}]")).scimType()).isEqualTo("invalidSyntax");
    }

    @Test
    void opNamesAreCaseInsensitive() {
        var patch = UserPatch.parse(Json.patch("""
                [{"op":"Replace","path":"title","value":"t"},{"op":"ADD","path":"nickName","value":"n"},
                 {"op":"rEmOvE","path":"locale"}]"""));

        assertThat(patch.operationCount()).isEqualTo(3);
    }

    @Test
    void anUnparseablePathIsInvalidPath() {
        assertThat(rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":\"x\"}]")).scimType())
                .isEqualTo("invalidPath");
        assertThat(rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"name.givenName.first\",\"value\":\"x\"}]")).scimType())
                .isEqualTo("invalidPath");
    }

    @Test
    void aValueFilterOnASingleValuedAttributeIsInvalidPath() {
        assertThat(rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"name[givenName eq \\\"x\\\"]\",\"value\":{}}]")).scimType())
                .isEqualTo("invalidPath");
    }

    @Test
    void anUnknownAttributeIsInvalidPathAlreadyAtParse() {
        assertThat(rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"favouriteColour\",\"value\":\"blue\"}]")).scimType())
                .isEqualTo("invalidPath");
        assertThat(rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"name.nickname\",\"value\":\"x\"}]")).scimType())
                .isEqualTo("invalidPath");
        assertThat(rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"urn:example:custom:2.0:User:x\",\"value\":\"x\"}]")).scimType())
                .isEqualTo("invalidPath");
    }

    @Test
    void removeWithoutPathIsNoTarget() {
        var error = rejection(Json.patch("[{\"op\":\"remove\"}]"));

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.scimType()).isEqualTo("noTarget");
    }

    @Test
    void addOrReplaceWithoutPathNeedsAnObjectValue() {
        assertThat(rejection(Json.patch("[{\"op\":\"add\",\"value\":\"x\"}]")).scimType()).isEqualTo("invalidSyntax");
        assertThat(rejection(Json.patch("[{\"op\":\"replace\"}]")).scimType()).isEqualTo("invalidSyntax");
    }

    @Test
    void aPathTargetingIdMetaOrGroupsIsMutability() {
        for (String path : new String[]{"id", "meta.lastModified", "groups", "ID"}) {
            var error = rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":\"x\"}]"));
            assertThat(error.scimType()).as(path).isEqualTo("mutability");
        }
    }

    @Test
    void aWrongValueTypeIsInvalidValueAtParse() {
        assertThat(rejection(Json.patch("[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]")).scimType())
                .isEqualTo("invalidValue");
    }

    @Test
    void operationCountIsTheNumberSentNotTheNumberOfAttributesTouched() {
        var patch = UserPatch.parse(Json.patch("[{\"op\":\"replace\",\"value\":{\"title\":\"t\",\"active\":false,\"nickName\":\"n\"}}]"));

        assertThat(patch.operationCount()).isEqualTo(1);
    }
}
