package dev.scimflow.scim;

import java.util.Optional;

import com.unboundid.scim2.common.types.AttributeDefinition;

/**
 * Finds User attributes by name in the namespace they live in. The core namespace holds the core
 * schema and the common attributes (id, externalId, meta), and answers to Zulip's {@code role} too (the
 * spelling IdP mappings use); the enterprise and Zulip namespaces hold their extensions. URNs are compared
 * case-insensitively because IdPs vary the case.
 */
final class UserAttributes {

    private UserAttributes() {
    }

    /** The schema whose namespace a URN names; null means the core namespace (an unqualified name). */
    static Optional<ResourceSchema> namespace(String urn) {
        if (urn == null || urn.equalsIgnoreCase(ScimSchemas.USER)) {
            return Optional.of(UserSchema.CORE);
        }
        if (urn.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER)) {
            return Optional.of(UserSchema.ENTERPRISE);
        }
        return urn.equalsIgnoreCase(ScimSchemas.ZULIP_USER) ? Optional.of(UserSchema.ZULIP) : Optional.empty();
    }

    /**
     * True when a schema's attributes are kept at the top of the stored document: the core schema's, and the Zulip
     * extension's ({@code role} is stored where IdPs have always sent it; responses move it per tenant). The
     * enterprise extension's live under its URN.
     */
    static boolean storedAtTop(ResourceSchema schema) {
        return schema == UserSchema.CORE || schema == UserSchema.ZULIP || schema == GroupSchema.CORE;
    }

    /** True if the text is exactly one of the User schema URNs (a key holding a whole extension object). */
    static boolean isSchemaUrn(String text) {
        return text.equalsIgnoreCase(ScimSchemas.USER) || text.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER)
                || text.equalsIgnoreCase(ScimSchemas.ZULIP_USER);
    }

    static Optional<AttributeDefinition> find(ResourceSchema schema, String name) {
        Optional<AttributeDefinition> found = schema.attribute(name);
        if (found.isPresent() || schema != UserSchema.CORE) {
            return found;
        }
        if (UserSchema.ROLE.getName().equalsIgnoreCase(name)) {
            return Optional.of(UserSchema.ROLE);
        }
        return UserSchema.COMMON.stream().filter(common -> common.getName().equalsIgnoreCase(name)).findFirst();
    }

    /** Server-owned or write-only: never part of the stored document. */
    static boolean notStored(AttributeDefinition attribute) {
        return attribute.getMutability() == AttributeDefinition.Mutability.READ_ONLY
                || attribute.getMutability() == AttributeDefinition.Mutability.WRITE_ONLY;
    }
}
