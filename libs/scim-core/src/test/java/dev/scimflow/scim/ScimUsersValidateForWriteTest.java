package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ScimUsersValidateForWriteTest {

    private static final String ENTERPRISE = ScimSchemas.ENTERPRISE_USER;

    private static ObjectNode write(String json) {
        return ScimUsers.validateForWrite(Json.parse(json));
    }

    private static ScimException rejection(String json) {
        Throwable thrown = catchThrowable(() -> write(json));
        assertThat(thrown).isInstanceOf(ScimException.class);
        return (ScimException) thrown;
    }

    @Test
    void nullAttributesAreTreatedAsAbsent() {
        var user = write("""
                {"userName":"a","title":null,"name":{"givenName":"G","familyName":null},"emails":null,"roles":[]}""");

        assertThat(user.has("title")).isFalse();
        assertThat(user.has("emails")).isFalse();
        assertThat(user.has("roles")).isFalse();
        assertThat(user.get("name")).isEqualTo(Json.parse("{\"givenName\":\"G\"}"));
    }

    @Test
    void readOnlyAttributesAreDropped() {
        var user = write("""
                {"id":"x","meta":{"resourceType":"User"},"groups":[{"value":"g"}],"userName":"a"}""");

        assertThat(user.has("id")).isFalse();
        assertThat(user.has("meta")).isFalse();
        assertThat(user.has("groups")).isFalse();
    }

    @Test
    void passwordIsNeverStored() {
        assertThat(write("{\"userName\":\"a\",\"password\":\"hunter2\"}").has("password")).isFalse();
        assertThat(write("{\"userName\":\"a\",\"PassWord\":\"hunter2\"}").toString()).doesNotContain("hunter2");
    }

    @Test
    void attributeNamesAreCanonicalisedCaseInsensitively() {
        var user = write("""
                {"username":"a","Name":{"GivenName":"G"},"EMAILS":[{"Value":"a@x","TYPE":"work","Primary":true}],"ACTIVE":true}""");

        assertThat(user.get("userName").asString()).isEqualTo("a");
        assertThat(user.get("name").get("givenName").asString()).isEqualTo("G");
        assertThat(user.get("emails")).isEqualTo(Json.parse("[{\"value\":\"a@x\",\"type\":\"work\",\"primary\":true}]"));
        assertThat(user.get("active").asBoolean()).isTrue();
    }

    @Test
    void urnQualifiedCoreKeysAreStoredUnqualified() {
        var user = write("""
                {"urn:ietf:params:scim:schemas:core:2.0:User:userName":"a",
                 "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:role":"guest"}""");

        assertThat(user.get("userName").asString()).isEqualTo("a");
        assertThat(user.get("role").asString()).isEqualTo("guest");
    }

    @Test
    void stringBooleansBecomeJsonBooleansForBooleanAttributes() {
        var user = write("""
                {"userName":"a","active":"False","emails":[{"value":"a@x","primary":"True"}],
                 "phoneNumbers":[{"value":"1","primary":"true"}],"addresses":[{"locality":"X","primary":"FALSE"}]}""");

        assertThat(user.get("active").isBoolean()).isTrue();
        assertThat(user.get("active").booleanValue()).isFalse();
        assertThat(user.get("emails").get(0).get("primary").booleanValue()).isTrue();
        assertThat(user.get("phoneNumbers").get(0).get("primary").booleanValue()).isTrue();
        assertThat(user.get("addresses").get(0).get("primary").booleanValue()).isFalse();
    }

    @Test
    void anyOtherValueForABooleanAttributeIsInvalidValue() {
        var error = rejection("{\"userName\":\"a\",\"active\":\"yes\"}");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.scimType()).isEqualTo("invalidValue");
        assertThat(error.detail()).contains("active");
    }

    @Test
    void twoPrimaryValuesOfOneAttributeAreInvalidValue() {
        var error = rejection("""
                {"userName":"a","emails":[{"value":"a@x","primary":true},{"value":"b@x","primary":"True"}]}""");

        assertThat(error.scimType()).isEqualTo("invalidValue");
        assertThat(error.detail()).contains("emails");
        assertThat(write("""
                {"userName":"a","emails":[{"value":"a@x","primary":true}],"phoneNumbers":[{"value":"1","primary":true}]}""")
                .get("emails")).hasSize(1);
    }

    @Test
    void aNumberOrBooleanForAStringAttributeIsInvalidValue() {
        assertThat(rejection("{\"userName\":42}").scimType()).isEqualTo("invalidValue");
        assertThat(rejection("{\"userName\":\"a\",\"title\":true}").scimType()).isEqualTo("invalidValue");
        assertThat(rejection("{\"userName\":\"a\",\"name\":{\"givenName\":1.5}}").scimType()).isEqualTo("invalidValue");
    }

    @Test
    void missingUserNameIsInvalidValue() {
        var error = rejection("{\"name\":{\"givenName\":\"G\"}}");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.scimType()).isEqualTo("invalidValue");
        assertThat(error.detail()).contains("userName");
    }

    @Test
    void blankOrNullUserNameIsInvalidValue() {
        assertThat(rejection("{\"userName\":\"  \"}").scimType()).isEqualTo("invalidValue");
        assertThat(rejection("{\"userName\":null}").detail()).contains("userName");
    }

    @Test
    void unknownRoleIsInvalidValueListingTheValidRoles() {
        var error = rejection("{\"userName\":\"a\",\"role\":\"superuser\"}");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.scimType()).isEqualTo("invalidValue");
        assertThat(error.detail()).contains("owner", "administrator", "moderator", "member", "guest");
    }

    @Test
    void roleIsCaseInsensitiveAndStoredLowerCase() {
        assertThat(write("{\"userName\":\"a\",\"role\":\"Administrator\"}").get("role").asString()).isEqualTo("administrator");
    }

    @Test
    void activeDefaultsToTrueAndRoleToMember() {
        var user = write("{\"userName\":\"a\"}");

        assertThat(user.get("active").isBoolean()).isTrue();
        assertThat(user.get("active").booleanValue()).isTrue();
        assertThat(user.get("role").asString()).isEqualTo("member");
    }

    @Test
    void schemasAreDerivedFromTheContentNotFromWhatWasSent() {
        // Lenient by decision: unknown URNs in "schemas" are dropped, a missing User URN is supplied,
        // and the enterprise URN is listed exactly when enterprise attributes are present.
        assertThat(write("{\"userName\":\"a\"}").get("schemas")).isEqualTo(Json.parse("[\"" + ScimSchemas.USER + "\"]"));
        assertThat(write("{\"schemas\":[\"urn:example:custom\"],\"userName\":\"a\"}").get("schemas"))
                .isEqualTo(Json.parse("[\"" + ScimSchemas.USER + "\"]"));
        assertThat(write("{\"schemas\":[\"" + ScimSchemas.USER + "\",\"" + ENTERPRISE + "\"],\"userName\":\"a\"}").get("schemas"))
                .isEqualTo(Json.parse("[\"" + ScimSchemas.USER + "\"]"));
        assertThat(write("{\"userName\":\"a\",\"" + ENTERPRISE + "\":{\"department\":\"R&D\"}}").get("schemas"))
                .isEqualTo(Json.parse("[\"" + ScimSchemas.USER + "\",\"" + ENTERPRISE + "\"]"));
    }

    @Test
    void enterpriseExtensionStaysUnderItsUrnWithCanonicalNames() {
        var user = write("{\"userName\":\"a\",\"" + ENTERPRISE + "\":{\"Department\":\"R&D\",\"manager\":{\"value\":\"m-1\"}},"
                + "\"" + ENTERPRISE + ":employeeNumber\":\"42\"}");

        JsonNode extension = user.get(ENTERPRISE);
        assertThat(extension.get("department").asString()).isEqualTo("R&D");
        assertThat(extension.get("employeeNumber").asString()).isEqualTo("42");
        assertThat(extension.get("manager").get("value").asString()).isEqualTo("m-1");
    }

    @Test
    void managerSentAsABareIdBecomesItsValue() {
        var user = write("{\"userName\":\"a\",\"" + ENTERPRISE + "\":{\"manager\":\"m-1\"}}");

        assertThat(user.get(ENTERPRISE).get("manager")).isEqualTo(Json.parse("{\"value\":\"m-1\"}"));
    }

    @Test
    void unknownAttributesAreDroppedNotRefused() {
        var user = write("""
                {"userName":"a","favouriteColour":"blue","urn:example:custom:2.0:User":{"x":1},"name":{"nickname2":"n"}}""");

        assertThat(user.has("favouriteColour")).isFalse();
        assertThat(user.has("urn:example:custom:2.0:User")).isFalse();
        assertThat(user.has("name")).isFalse();
    }

    @Test
    void aSingleValueOfAMultiValuedAttributeIsStoredAsAnArrayWithoutRepeats() {
        assertThat(write("{\"userName\":\"a\",\"emails\":{\"value\":\"a@x\"}}").get("emails"))
                .isEqualTo(Json.parse("[{\"value\":\"a@x\"}]"));
        assertThat(write("{\"userName\":\"a\",\"emails\":[{\"value\":\"a@x\"},{\"value\":\"a@x\"}]}").get("emails").size())
                .isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotAnObjectIsInvalidSyntax() {
        assertThatThrownBy(() -> ScimUsers.validateForWrite(Json.parse("[1]")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidSyntax"));
    }

    @Test
    void theBodyIsNotModified() {
        var body = Json.object("{\"userName\":\"a\",\"id\":\"x\",\"active\":\"True\"}");
        var copy = body.deepCopy();

        ScimUsers.validateForWrite(body);

        assertThat(body).isEqualTo(copy);
    }

    @Test
    void oktaCreateIsStoredWithoutReadOnlyAndWriteOnlyParts() {
        var user = write("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"isabelle@example.com",
                 "name":{"givenName":"Isabelle","familyName":"Cruz"},
                 "emails":[{"primary":true,"value":"isabelle@example.com","type":"work"}],
                 "displayName":"Isabelle Cruz","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
                 "groups":[],"password":"1mz050nq","active":true}""");

        assertThat(user).isEqualTo(Json.parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"isabelle@example.com",
                 "name":{"givenName":"Isabelle","familyName":"Cruz"},
                 "emails":[{"primary":true,"value":"isabelle@example.com","type":"work"}],
                 "displayName":"Isabelle Cruz","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
                 "active":true,"role":"member"}"""));
    }

    @Test
    void entraCreateWithEnterpriseSchemaMetaAndEmptyRolesIsAccepted() {
        var user = write("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_ab6490ee@contoso.com",
                 "active":"True","emails":[{"primary":"True","type":"work","value":"Test_User_fd0ea19b@contoso.com"}],
                 "meta":{"resourceType":"User"},"name":{"familyName":"familyName","givenName":"givenName"},"roles":[],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":null,"manager":null}}""");

        assertThat(user.get("active").booleanValue()).isTrue();
        assertThat(user.get("emails").get(0).get("primary").booleanValue()).isTrue();
        assertThat(user.has("meta")).isFalse();
        assertThat(user.has("roles")).isFalse();
        assertThat(user.has(ENTERPRISE)).as("only nulls in the extension").isFalse();
        assertThat(user.get("externalId").asString()).isEqualTo("0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
    }
    @Test
    void aNullEnterpriseExtensionIsTreatedAsAbsent() {
        assertThat(write("{\"userName\":\"a\",\"" + ENTERPRISE + "\":null}").has(ENTERPRISE)).isFalse();
    }
}
