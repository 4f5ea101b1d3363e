package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.scimflow.scim.MembershipChange.Add;
import dev.scimflow.scim.MembershipChange.Remove;
import dev.scimflow.scim.MembershipChange.RemoveAll;
import dev.scimflow.scim.MembershipChange.Replace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every membership form of SCIM-INTEROP "Groups", and the attribute changes IdPs make to groups. */
class GroupPatchTest {

    private final ObjectNode engineering = ScimGroups.validateForWrite(Json.parse("""
            {"displayName":"Engineering","externalId":"ext-1"}""")).document();

    private static GroupPatch patch(String operations) {
        return GroupPatch.parse(Json.patch(operations));
    }

    private static ScimException rejection(String operations) {
        return rejection(Json.patch(operations));
    }

    private static ScimException rejection(JsonNode body) {
        Throwable thrown = catchThrowable(() -> GroupPatch.parse(body));
        assertThat(thrown).isInstanceOf(ScimException.class);
        return (ScimException) thrown;
    }

    @Test
    void addWithPathMembersAndAListAddsThoseUsers() {
        var patch = patch("""
                [{"op":"add","path":"members","value":[{"value":"u1","display":"Ann"},{"value":"u2"},{"value":"u1"}]}]""");

        assertThat(patch.membershipChanges()).containsExactly(new Add(List.of("u1", "u2")));
        assertThat(patch.addedMemberIds()).containsExactly("u1", "u2");
        assertThat(patch.applyTo(engineering)).isEqualTo(engineering);
    }

    @Test
    void entraAddCarriesAnOperationNameAndNullRefsWhichAreIgnored() {
        var patch = patch("""
                [{"name":"addMember","op":"Add","path":"members","value":[{"$ref":null,"value":"u1"}]}]""");

        assertThat(patch.membershipChanges()).containsExactly(new Add(List.of("u1")));
    }

    @Test
    void removeWithAValueFilterRemovesTheNamedMember() {
        var patch = patch("[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\"]\"}]");

        assertThat(patch.membershipChanges()).containsExactly(new Remove(List.of("u1")));
        assertThat(patch.addedMemberIds()).isEmpty();
    }

    @Test
    void aValueFilterMayNameSeveralMembersJoinedByOr() {
        var patch = patch("[{\"op\":\"Remove\",\"path\":\"members[value eq \\\"u1\\\" or value eq \\\"u2\\\"]\"}]");

        assertThat(patch.membershipChanges()).containsExactly(new Remove(List.of("u1", "u2")));
    }

    @Test
    void entraWithoutTheFlagRemovesWithPathMembersAndAValueList() {
        var patch = patch("""
                [{"name":"removeMember","op":"Remove","path":"members","value":[{"$ref":null,"value":"u1"},{"value":"u2"}]}]""");

        assertThat(patch.membershipChanges()).containsExactly(new Remove(List.of("u1", "u2")));
    }

    @Test
    void removeOfPathMembersWithoutAValueRemovesEveryMember() {
        assertThat(patch("[{\"op\":\"remove\",\"path\":\"members\"}]").membershipChanges()).containsExactly(new RemoveAll());
        // SAP's SCIMono sends an empty string as the value
        assertThat(patch("[{\"op\":\"remove\",\"path\":\"members\",\"value\":\"\"}]").membershipChanges())
                .containsExactly(new RemoveAll());
        assertThat(patch("[{\"op\":\"remove\",\"path\":\"members\",\"value\":[]}]").membershipChanges())
                .containsExactly(new RemoveAll());
    }

    @Test
    void replaceOfPathMembersReplacesTheWholeListAndAnEmptyListEmptiesIt() {
        assertThat(patch("[{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"u3\"}]}]").membershipChanges())
                .containsExactly(new Replace(List.of("u3")));
        assertThat(patch("[{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}]").membershipChanges())
                .containsExactly(new RemoveAll());
    }

    @Test
    void oktaRenamesWithAPathlessReplaceCarryingTheId() {
        var patch = patch("[{\"op\":\"replace\",\"value\":{\"id\":\"g-1\",\"displayName\":\"Platform\"}}]");

        ObjectNode renamed = patch.applyTo(engineering);
        assertThat(renamed.get("displayName").asString()).isEqualTo("Platform");
        assertThat(renamed.has("id")).isFalse();
        assertThat(renamed.get("externalId").asString()).isEqualTo("ext-1");
        assertThat(patch.membershipChanges()).isEmpty();
    }

    @Test
    void pathlessAddAndReplaceOfMembersAddAndReplace() {
        assertThat(patch("[{\"op\":\"add\",\"value\":{\"members\":[{\"value\":\"u1\"}]}}]").membershipChanges())
                .containsExactly(new Add(List.of("u1")));
        assertThat(patch("[{\"op\":\"replace\",\"value\":{\"members\":[{\"value\":\"u1\"}],\"displayName\":\"X\"}}]")
                .membershipChanges()).containsExactly(new Replace(List.of("u1")));
    }

    @Test
    void opNamesAndOperationsKeyAreCaseInsensitive() {
        var patch = GroupPatch.parse(Json.parse("{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"operations\":["
                + "{\"op\":\"ADD\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"}]},"
                + "{\"op\":\"Remove\",\"path\":\"Members[Value eq \\\"u2\\\"]\"},"
                + "{\"op\":\"rEPLACE\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:Group:displayName\",\"value\":\"Ops\"}]}"));

        assertThat(patch.membershipChanges()).containsExactly(new Add(List.of("u1")), new Remove(List.of("u2")));
        assertThat(patch.applyTo(engineering).get("displayName").asString()).isEqualTo("Ops");
    }

    @Test
    void operationsKeepTheirOrder() {
        var patch = patch("""
                [{"op":"add","path":"members","value":[{"value":"u1"}]},
                 {"op":"remove","path":"members","value":[{"value":"u1"}]},
                 {"op":"add","path":"members","value":[{"value":"u2"}]}]""");

        assertThat(patch.membershipChanges())
                .containsExactly(new Add(List.of("u1")), new Remove(List.of("u1")), new Add(List.of("u2")));
    }

    @Test
    void entraReplacesTheDisplayNameAndExternalIdWithPaths() {
        var patch = patch("""
                [{"op":"Replace","path":"displayName","value":"Renamed"},{"op":"Add","path":"externalId","value":"ext-2"}]""");

        ObjectNode group = patch.applyTo(engineering);
        assertThat(group.get("displayName").asString()).isEqualTo("Renamed");
        assertThat(group.get("externalId").asString()).isEqualTo("ext-2");
        assertThat(engineering.get("displayName").asString()).as("input untouched").isEqualTo("Engineering");
    }

    @Test
    void removingTheExternalIdUnassignsItButTheDisplayNameIsRequired() {
        assertThat(patch("[{\"op\":\"remove\",\"path\":\"externalId\"}]").applyTo(engineering).has("externalId")).isFalse();

        Throwable thrown = catchThrowable(() -> patch("[{\"op\":\"remove\",\"path\":\"displayName\"}]").applyTo(engineering));
        assertThat(thrown).isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
    }

    @Test
    void aGroupMayBeAddedAsAMemberAndItsTypeIsKeptForTheWorkerToCheck() {
        var patch = patch("""
                [{"op":"add","path":"members","value":[{"value":"g2","type":"Group"},{"value":"u1","type":"user"},{"value":"x"}]}]""");

        assertThat(patch.membershipChanges()).containsExactly(new Add(List.of("g2", "u1", "x")));
        assertThat(patch.declaredMemberTypes()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("g2", MemberType.GROUP, "u1", MemberType.USER));
    }

    @Test
    void aMemberOfAnotherTypeOrWithoutAnIdIsInvalidValue() {
        assertThat(rejection("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"g2\",\"type\":\"Device\"}]}]").scimType())
                .isEqualTo("invalidValue");
        assertThat(rejection("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"display\":\"no id\"}]}]").scimType())
                .isEqualTo("invalidValue");
        assertThat(rejection("""
                [{"op":"add","path":"members","value":[{"value":"g2","type":"Group"},{"value":"g2","type":"User"}]}]""").scimType())
                .isEqualTo("invalidValue");
    }

    @Test
    void unknownPathsAndFiltersOtherThanValueEqAreRejected() {
        assertThat(rejection("[{\"op\":\"add\",\"path\":\"owners\",\"value\":\"x\"}]").scimType()).isEqualTo("invalidPath");
        assertThat(rejection("[{\"op\":\"remove\",\"path\":\"members[display eq \\\"Ann\\\"]\"}]").scimType())
                .isEqualTo("invalidFilter");
        assertThat(rejection("[{\"op\":\"add\",\"path\":\"members[value eq \\\"u1\\\"]\",\"value\":[]}]").scimType())
                .isEqualTo("invalidPath");
        assertThat(rejection("[{\"op\":\"replace\",\"path\":\"members.value\",\"value\":\"u1\"}]").scimType())
                .isEqualTo("invalidPath");
    }

    @Test
    void readOnlyPathsAreMutabilityErrorsAndRemoveWithoutPathIsNoTarget() {
        assertThat(rejection("[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]").scimType()).isEqualTo("mutability");
        assertThat(rejection("[{\"op\":\"remove\"}]").scimType()).isEqualTo("noTarget");
    }

    @Test
    void theEnvelopeIsCheckedAsForUsers() {
        assertThat(rejection(Json.parse("{\"Operations\":[{\"op\":\"remove\",\"path\":\"members\"}]}")).scimType())
                .isEqualTo("invalidSyntax");
        assertThat(rejection("[{\"op\":\"merge\",\"path\":\"members\"}]").scimType()).isEqualTo("invalidSyntax");
    }

    @Test
    void moreMemberValuesThanARequestMayCarryIsPayloadTooLarge() {
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i <= ScimGroups.MAX_MEMBERS_PER_REQUEST; i++) {
            values.append(i == 0 ? "" : ",").append("{\"value\":\"u").append(i).append("\"}");
        }
        ScimException error = rejection("[{\"op\":\"add\",\"path\":\"members\",\"value\":" + values + "]}]");

        assertThat(error.status()).isEqualTo(413);
    }
}
