package dev.scimflow.scim;

import static com.unboundid.scim2.common.types.AttributeDefinition.Mutability.READ_ONLY;
import static com.unboundid.scim2.common.types.AttributeDefinition.Mutability.WRITE_ONLY;
import static com.unboundid.scim2.common.types.AttributeDefinition.Returned.NEVER;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.BINARY;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.REFERENCE;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.STRING;
import static com.unboundid.scim2.common.types.AttributeDefinition.Uniqueness.SERVER;
import static dev.scimflow.scim.SchemaAttributes.attribute;
import static dev.scimflow.scim.SchemaAttributes.bool;
import static dev.scimflow.scim.SchemaAttributes.complex;
import static dev.scimflow.scim.SchemaAttributes.multiValued;
import static dev.scimflow.scim.SchemaAttributes.string;
import static dev.scimflow.scim.SchemaAttributes.valueDisplayTypePrimary;

import java.util.List;

import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.utils.SchemaUtils;

/**
 * The User resource as scimflow understands it: the core schema of RFC 7643 §4.1, the enterprise extension of
 * §4.3, scimflow's Zulip extension (Zulip's {@code role}), and the common attributes of §3.1. The single source for
 * validation, PATCH path resolution and the {@code /Schemas} discovery documents.
 *
 * <p>{@code role} is defined in {@link #ZULIP} but also answers to its name in the core namespace
 * ({@code role}, {@code urn:ietf:params:scim:schemas:core:2.0:User:role}), the spelling Zulip's and Okta's mappings
 * use; it is stored at the top of the document whatever the spelling, and each tenant chooses where responses
 * put it ({@link RoleAttribute}).
 */
public final class UserSchema {

    /** Zulip's roles, in order of privilege; the values {@code role} accepts. */
    public static final List<String> ROLES = List.of("owner", "administrator", "moderator", "member", "guest");

    public static final ResourceSchema CORE = new ResourceSchema(ScimSchemas.USER, "User", "User Account", List.of(
            attribute("userName", STRING, "Unique identifier for the User, used to sign in")
                    .setRequired(true).setUniqueness(SERVER).build(),
            complex("name", "The components of the user's real name",
                    string("formatted", "The full name, formatted for display"),
                    string("familyName", "The family name of the User"),
                    string("givenName", "The given name of the User"),
                    string("middleName", "The middle name(s) of the User"),
                    string("honorificPrefix", "The honorific prefix(es) of the User"),
                    string("honorificSuffix", "The honorific suffix(es) of the User")),
            string("displayName", "The name of the User, suitable for display to end-users"),
            string("nickName", "The casual way to address the user"),
            attribute("profileUrl", REFERENCE, "A fully qualified URL pointing to the user's online profile")
                    .addReferenceTypes("external").build(),
            string("title", "The user's title, such as \"Vice President\""),
            string("userType", "The relationship between the organization and the user"),
            string("preferredLanguage", "The user's preferred written or spoken language"),
            string("locale", "The user's default location, for localizing items such as currency and dates"),
            string("timezone", "The User's time zone in the 'Olson' time zone database format"),
            bool("active", "The User's administrative status; false means deactivated"),
            attribute("password", STRING, "The User's cleartext password; write-only, never stored by scimflow")
                    .setMutability(WRITE_ONLY).setReturned(NEVER).build(),
            multiValued("emails", "Email addresses for the user",
                    valueDisplayTypePrimary(STRING, "work", "home", "other")),
            multiValued("phoneNumbers", "Phone numbers for the User",
                    valueDisplayTypePrimary(STRING, "work", "home", "mobile", "fax", "pager", "other")),
            multiValued("ims", "Instant messaging addresses for the User",
                    valueDisplayTypePrimary(STRING, "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo")),
            multiValued("photos", "URLs of photos of the User",
                    valueDisplayTypePrimary(REFERENCE, "photo", "thumbnail")),
            multiValued("addresses", "A physical mailing address for this User",
                    string("formatted", "The full mailing address, formatted for display"),
                    string("streetAddress", "The full street address component"),
                    string("locality", "The city or locality component"),
                    string("region", "The state or region component"),
                    string("postalCode", "The zip code or postal code component"),
                    string("country", "The country name component"),
                    attribute("type", STRING, "A label indicating the address's function")
                            .addCanonicalValues("work", "home", "other").build(),
                    bool("primary", "Whether this is the primary mailing address")),
            attribute("groups", AttributeDefinition.Type.COMPLEX, "Groups the user belongs to, computed by the server")
                    .setMultiValued(true).setMutability(READ_ONLY).addSubAttributes(
                            attribute("value", STRING, "The identifier of the Group").setMutability(READ_ONLY).build(),
                            attribute("$ref", REFERENCE, "The URI of the Group").addReferenceTypes("User", "Group")
                                    .setMutability(READ_ONLY).build(),
                            attribute("display", STRING, "The display name of the Group").setMutability(READ_ONLY).build(),
                            attribute("type", STRING, "Direct or indirect membership").addCanonicalValues("direct", "indirect")
                                    .setMutability(READ_ONLY).build())
                    .build(),
            multiValued("entitlements", "Entitlements the User has", valueDisplayTypePrimary(STRING)),
            multiValued("roles", "Roles for the User, as the IdP names them", valueDisplayTypePrimary(STRING)),
            multiValued("x509Certificates", "X.509 certificates issued to the User", valueDisplayTypePrimary(BINARY))));

    /** Zulip's role of the user: one of {@link #ROLES}, {@code member} when not sent. */
    static final AttributeDefinition ROLE = attribute("role", STRING, "The user's role in Zulip")
            .addCanonicalValues(ROLES.toArray(String[]::new)).build();

    /** scimflow's extension for Zulip's attributes: {@code role}. */
    public static final ResourceSchema ZULIP = new ResourceSchema(ScimSchemas.ZULIP_USER, "ZulipUser",
            "Zulip's attributes of a user", List.of(ROLE));

    public static final ResourceSchema ENTERPRISE = new ResourceSchema(ScimSchemas.ENTERPRISE_USER,
            "EnterpriseUser", "Enterprise User", List.of(
                    string("employeeNumber", "Numeric or alphanumeric identifier assigned to a person"),
                    string("costCenter", "Identifies the name of a cost center"),
                    string("organization", "Identifies the name of an organization"),
                    string("division", "Identifies the name of a division"),
                    string("department", "Identifies the name of a department"),
                    complex("manager", "The User's manager",
                            string("value", "The id of the SCIM resource representing the User's manager"),
                            attribute("$ref", REFERENCE, "The URI of the manager's SCIM resource").addReferenceTypes("User").build(),
                            attribute("displayName", STRING, "The displayName of the User's manager")
                                    .setMutability(READ_ONLY).build())));

    /** id, externalId and meta (RFC 7643 §3.1): part of every resource, listed in no schema. */
    public static final List<AttributeDefinition> COMMON = List.of(SchemaUtils.ID_ATTRIBUTE_DEFINITION,
            SchemaUtils.EXTERNAL_ID_ATTRIBUTE_DEFINITION, SchemaUtils.META_ATTRIBUTE_DEFINITION);

    private UserSchema() {
    }

    /**
     * The User attribute a (possibly URN-qualified) name denotes: {@code urn} null or the core URN means the
     * core namespace, which also holds id, externalId and meta; the enterprise URN the extension. Names and
     * URNs compare case-insensitively. Empty when there is no such attribute.
     */
    public static java.util.Optional<AttributeDefinition> lookup(String urn, String name) {
        return UserAttributes.namespace(urn).flatMap(schema -> UserAttributes.find(schema, name));
    }

    /**
     * The core schema as a tenant's discovery documents describe it: with {@code role} among the core attributes for a
     * tenant whose responses carry it there ({@link RoleAttribute#CORE}), without it otherwise.
     */
    public static ResourceSchema advertisedCore(RoleAttribute roleAttribute) {
        if (roleAttribute == RoleAttribute.EXTENSION) {
            return CORE;
        }
        List<AttributeDefinition> attributes = new java.util.ArrayList<>(CORE.attributes());
        attributes.add(ROLE);
        return new ResourceSchema(CORE.id(), CORE.name(), CORE.description(), attributes);
    }

    /** True for the enterprise extension's URN (its attributes live under that key in a document). */
    public static boolean isEnterprise(String urn) {
        return urn != null && urn.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER);
    }
}
