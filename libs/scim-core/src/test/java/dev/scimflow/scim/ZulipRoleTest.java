package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.unboundid.scim2.common.types.AttributeDefinition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Zulip's {@code role}: defined in scimflow's extension schema, accepted in every spelling IdPs send (top-level,
 * core-namespaced, the extension's URN) in bodies and PATCH paths, stored at the top of the document, and shown
 * where the tenant chose.
 */
class ZulipRoleTest {

    private static final String ZULIP = ScimSchemas.ZULIP_USER;

    @Test
    void roleIsAnAttributeOfTheZulipExtensionNotOfTheCoreSchema() {
        assertThat(UserSchema.CORE.attribute("role")).isEmpty();
        AttributeDefinition role = UserSchema.ZULIP.attribute("role").orElseThrow();
        assertThat(role.getCanonicalValues()).containsExactlyElementsOf(UserSchema.ROLES);
        assertThat(UserSchema.ZULIP.id()).isEqualTo(ZULIP).startsWith("urn:scimflow:");
    }

    @Test
    void theCoreSchemaAdvertisedToACoreTenantListsRole() {
        assertThat(UserSchema.advertisedCore(RoleAttribute.CORE).attribute("role")).isPresent();
        assertThat(UserSchema.advertisedCore(RoleAttribute.EXTENSION).attribute("role")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"userName\":\"a\",\"role\":\"guest\"}",
            "{\"userName\":\"a\",\"urn:ietf:params:scim:schemas:core:2.0:User:role\":\"guest\"}",
            "{\"userName\":\"a\",\"urn:scimflow:params:scim:schemas:extension:zulip:2.0:User\":{\"role\":\"Guest\"}}",
            "{\"userName\":\"a\",\"URN:SCIMFLOW:PARAMS:SCIM:SCHEMAS:EXTENSION:ZULIP:2.0:USER:role\":\"guest\"}"})
    void everySpellingOfRoleIsStoredAtTheTop(String body) {
        ObjectNode user = ScimUsers.validateForWrite(Json.parse(body));

        assertThat(user.get("role").asString()).isEqualTo("guest");
        assertThat(user.has(ZULIP)).isFalse();
        assertThat(user.get("schemas")).hasSize(1);
    }

    @Test
    void anInvalidRoleInTheExtensionIsInvalidValue() {
        assertThatThrownBy(() -> ScimUsers.validateForWrite(Json.parse("{\"userName\":\"a\",\"" + ZULIP + "\":{\"role\":\"root\"}}")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
        assertThatThrownBy(() -> ScimUsers.validateForWrite(Json.parse("{\"userName\":\"a\",\"" + ZULIP + "\":\"guest\"}")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[{\"op\":\"replace\",\"path\":\"role\",\"value\":\"moderator\"}]",
            "[{\"op\":\"replace\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:role\",\"value\":\"moderator\"}]",
            "[{\"op\":\"replace\",\"path\":\"urn:scimflow:params:scim:schemas:extension:zulip:2.0:User:role\",\"value\":\"moderator\"}]",
            "[{\"op\":\"add\",\"path\":\"urn:scimflow:params:scim:schemas:extension:zulip:2.0:User\",\"value\":{\"role\":\"moderator\"}}]",
            "[{\"op\":\"replace\",\"value\":{\"urn:scimflow:params:scim:schemas:extension:zulip:2.0:User\":{\"role\":\"moderator\"}}}]",
            "[{\"op\":\"replace\",\"value\":{\"urn:scimflow:params:scim:schemas:extension:zulip:2.0:User:role\":\"moderator\"}}]"})
    void everySpellingOfRoleIsAPatchPath(String operations) {
        ObjectNode before = ScimUsers.validateForWrite(Json.parse("{\"userName\":\"a\"}"));

        ObjectNode after = UserPatch.parse(Json.patch(operations)).applyTo(before);

        assertThat(after.get("role").asString()).isEqualTo("moderator");
        assertThat(after.has(ZULIP)).isFalse();
    }

    @Test
    void removingTheRoleByTheExtensionsPathMakesTheUserAMemberAgain() {
        ObjectNode guest = ScimUsers.validateForWrite(Json.parse("{\"userName\":\"a\",\"role\":\"guest\"}"));

        ObjectNode after = UserPatch.parse(Json.patch("[{\"op\":\"remove\",\"path\":\"" + ZULIP + ":role\"}]")).applyTo(guest);

        assertThat(after.get("role").asString()).isEqualTo("member");
    }

    @Test
    void anExtensionTenantSeesRoleInTheExtensionListedInSchemasBeforeMeta() {
        ObjectNode resource = rendered("{\"userName\":\"a\",\"role\":\"owner\"}");

        ObjectNode presented = ScimUsers.withRoleAttribute(resource, RoleAttribute.EXTENSION);

        assertThat(presented.has("role")).isFalse();
        assertThat(presented.get(ZULIP).get("role").asString()).isEqualTo("owner");
        assertThat(presented.get("schemas").valueStream().map(JsonNode::asString).toList())
                .containsExactly(ScimSchemas.USER, ZULIP);
        List<String> names = List.copyOf(presented.propertyNames());
        assertThat(names.indexOf(ZULIP)).isEqualTo(names.indexOf("meta") - 1);
        assertThat(resource.has("role")).as("the input is left as it was").isTrue();
    }

    @Test
    void aCoreTenantSeesRoleAtTheTopAndNoExtension() {
        ObjectNode resource = rendered("{\"userName\":\"a\",\"role\":\"owner\"}");

        ObjectNode presented = ScimUsers.withRoleAttribute(resource, RoleAttribute.CORE);

        assertThat(presented.get("role").asString()).isEqualTo("owner");
        assertThat(presented.has(ZULIP)).isFalse();
        assertThat(presented.get("schemas")).hasSize(1);
    }

    @Test
    void attributesAndExcludedAttributesNameRoleInEverySpelling() {
        ObjectNode resource = rendered("{\"userName\":\"a\",\"role\":\"owner\",\"title\":\"CTO\"}");

        for (String name : new String[]{"role", "urn:ietf:params:scim:schemas:core:2.0:User:role", ZULIP + ":role", ZULIP}) {
            ObjectNode selected = AttributeProjection.of(name, null).apply(resource);
            ObjectNode excluded = AttributeProjection.of(null, name).apply(resource);

            assertThat(selected.get("role").asString()).as(name).isEqualTo("owner");
            assertThat(selected.has("title")).as(name).isFalse();
            assertThat(excluded.has("role")).as(name).isFalse();
            assertThat(excluded.get("title").asString()).as(name).isEqualTo("CTO");
        }
    }

    @Test
    void theChoiceIsReadFromItsLabel() {
        assertThat(RoleAttribute.of("Core")).isEqualTo(RoleAttribute.CORE);
        assertThat(RoleAttribute.of("extension")).isEqualTo(RoleAttribute.EXTENSION);
        assertThat(RoleAttribute.EXTENSION.label()).isEqualTo("extension");
        assertThatThrownBy(() -> RoleAttribute.of("top")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ObjectNode rendered(String body) {
        return ScimUsers.render(ScimUsers.validateForWrite(Json.parse(body)), "u-1", Instant.EPOCH, Instant.EPOCH, 1, null);
    }
}
