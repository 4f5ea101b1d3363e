package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.utils.JsonUtils;

import tools.jackson.databind.JsonNode;

class UserSchemaTest {

    @Test
    void coreSchemaHoldsTheRfc7643UserAttributes() {
        assertThat(UserSchema.CORE.attributes()).extracting(AttributeDefinition::getName).containsExactly(
                "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage",
                "locale", "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses",
                "groups", "entitlements", "roles", "x509Certificates");
    }

    @Test
    void enterpriseSchemaHoldsTheRfc7643ExtensionAttributes() {
        assertThat(UserSchema.ENTERPRISE.id()).isEqualTo(ScimSchemas.ENTERPRISE_USER);
        assertThat(UserSchema.ENTERPRISE.attributes()).extracting(AttributeDefinition::getName).containsExactly(
                "employeeNumber", "costCenter", "organization", "division", "department", "manager");
    }

    @Test
    void lookupIsCaseInsensitiveAndReturnsTheCanonicalDefinition() {
        AttributeDefinition emails = UserSchema.CORE.attribute("EMAILS").orElseThrow();

        assertThat(emails.getName()).isEqualTo("emails");
        assertThat(emails.isMultiValued()).isTrue();
        assertThat(ResourceSchema.subAttribute(emails, "PRIMARY").orElseThrow().getType())
                .isEqualTo(AttributeDefinition.Type.BOOLEAN);
        assertThat(UserSchema.CORE.attribute("favouriteColour")).isEmpty();
    }

    @Test
    void metadataMatchesTheRfcForTheAttributesThatMatter() {
        AttributeDefinition userName = UserSchema.CORE.attribute("userName").orElseThrow();
        assertThat(userName.isRequired()).isTrue();
        assertThat(userName.getUniqueness()).isEqualTo(AttributeDefinition.Uniqueness.SERVER);
        assertThat(userName.isCaseExact()).isFalse();

        AttributeDefinition password = UserSchema.CORE.attribute("password").orElseThrow();
        assertThat(password.getMutability()).isEqualTo(AttributeDefinition.Mutability.WRITE_ONLY);
        assertThat(password.getReturned()).isEqualTo(AttributeDefinition.Returned.NEVER);

        assertThat(UserSchema.CORE.attribute("groups").orElseThrow().getMutability())
                .isEqualTo(AttributeDefinition.Mutability.READ_ONLY);
        assertThat(UserSchema.ZULIP.attribute("role").orElseThrow().getCanonicalValues())
                .containsExactlyElementsOf(UserSchema.ROLES);
    }

    @Test
    void schemaResourceSerialisesAsADiscoveryDocument() {
        JsonNode document = JsonUtils.valueToNode(UserSchema.CORE.toSchemaResource());

        assertThat(document.get("id").asString()).isEqualTo(ScimSchemas.USER);
        assertThat(document.get("name").asString()).isEqualTo("User");
        JsonNode active = document.get("attributes").get(10);
        assertThat(active.get("name").asString()).isEqualTo("active");
        assertThat(active.get("type").asString()).isEqualTo("boolean");
        assertThat(active.get("mutability").asString()).isEqualTo("readWrite");
        assertThat(active.get("returned").asString()).isEqualTo("default");
        assertThat(active.get("uniqueness").asString()).isEqualTo("none");
        assertThat(active.get("multiValued").booleanValue()).isFalse();
    }
}
