package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class ScimGroupsTest {

    @Test
    void oktaCreateKeepsDisplayNameAndMemberIdsAndDropsServerOwnedAttributes() {
        GroupWrite write = ScimGroups.validateForWrite(Json.parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"ignored","displayName":"Engineering",
                 "members":[{"value":"u1","display":"Ann"},{"value":"u2"},{"value":"u1"}],"meta":{"resourceType":"Group"}}"""));

        assertThat(write.document()).isEqualTo(Json.parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering"}"""));
        assertThat(write.memberIds()).containsExactly("u1", "u2");
    }

    @Test
    void entraCreateWithItsOwnSchemaAndExternalIdAndNoMembers() {
        GroupWrite write = ScimGroups.validateForWrite(Json.parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
                            "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                 "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Sales","meta":{"resourceType":"Group"}}"""));

        assertThat(ScimGroups.displayName(write.document())).isEqualTo("Sales");
        assertThat(ScimGroups.externalId(write.document())).isEqualTo("8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
        assertThat(write.memberIds()).isEmpty();
    }

    @Test
    void theChangeBodyValidatesToTheSameWrite() {
        GroupWrite write = ScimGroups.validateForWrite(Json.parse("{\"displayName\":\"A\",\"members\":[{\"value\":\"u1\"}]}"));

        assertThat(ScimGroups.validateForWrite(write.toChangeBody())).isEqualTo(write);
    }

    @Test
    void aNestedGroupsTypeTravelsInTheChangeBody() {
        GroupWrite write = ScimGroups.validateForWrite(Json.parse("""
                {"displayName":"All staff","members":[{"value":"g1","type":"Group"},{"value":"u1"}]}"""));

        assertThat(write.declaredTypes()).containsExactlyEntriesOf(java.util.Map.of("g1", MemberType.GROUP));
        assertThat(write.toChangeBody().get("members").toString()).isEqualTo("[{\"value\":\"g1\",\"type\":\"Group\"},{\"value\":\"u1\"}]");
        assertThat(ScimGroups.validateForWrite(write.toChangeBody())).isEqualTo(write);
    }

    @Test
    void aNestedGroupIsRenderedWithTypeGroup() {
        assertThat(ScimGroups.member("g1", "Sales", "https://x/scim/v2/Groups/g1", MemberType.GROUP).get("type").asString())
                .isEqualTo("Group");
    }

    @Test
    void aGroupWithoutDisplayNameIsInvalidValue() {
        Throwable thrown = catchThrowable(() -> ScimGroups.validateForWrite(Json.parse("{\"members\":[]}")));

        assertThat(thrown).isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
    }

    @Test
    void renderPutsIdFirstAndMembersBeforeMeta() {
        GroupWrite write = ScimGroups.validateForWrite(Json.parse("{\"displayName\":\"A\",\"externalId\":\"e\"}"));
        var resource = ScimGroups.render(write.document(), "g1", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z"), 3, "https://scim.example/scim/v2/Groups/g1");
        var withMembers = ScimGroups.withMembers(resource, List.of(ScimGroups.member("u1", "Ann", "https://x/Users/u1")));

        assertThat(List.copyOf(withMembers.propertyNames())).containsExactly("id", "schemas", "displayName", "externalId", "members",
                "meta");
        assertThat(withMembers.at("/meta/resourceType").asString()).isEqualTo("Group");
        assertThat(withMembers.at("/meta/version").asString()).isEqualTo("W/\"3\"");
        assertThat(withMembers.get("members")).isEqualTo(Json.parse("""
                [{"value":"u1","display":"Ann","$ref":"https://x/Users/u1","type":"User"}]"""));
    }
}
