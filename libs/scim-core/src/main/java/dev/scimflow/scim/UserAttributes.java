package dev.scimflow.scim;

import com.unboundid.scim2.common.types.AttributeDefinition;
import java.util.Optional;

/**
 * Finds User attributes by name in the namespace they live in. The core namespace holds the core
 * schema, Zulip's {@code role} and the common attributes (id, externalId, meta); the enterprise
 * namespace holds the extension. URNs are compared case-insensitively because IdPs vary the case.
 */
final class UserAttributes {

  private UserAttributes() {
  }

  /** The schema whose namespace a URN names; null means the core namespace (an unqualified name). */
  static Optional<ResourceSchema> namespace(String urn) {
    if (urn == null || urn.equalsIgnoreCase(ScimSchemas.USER)) {
      return Optional.of(UserSchema.CORE);
    }
    return urn.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER) ? Optional.of(UserSchema.ENTERPRISE) : Optional.empty();
  }

  /** True if the text is exactly one of the User schema URNs (a key holding a whole extension object). */
  static boolean isSchemaUrn(String text) {
    return text.equalsIgnoreCase(ScimSchemas.USER) || text.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER);
  }

  static Optional<AttributeDefinition> find(ResourceSchema schema, String name) {
    Optional<AttributeDefinition> found = schema.attribute(name);
    if (found.isPresent() || schema != UserSchema.CORE) {
      return found;
    }
    return UserSchema.COMMON.stream().filter(common -> common.getName().equalsIgnoreCase(name)).findFirst();
  }

  /** Server-owned or write-only: never part of the stored document. */
  static boolean notStored(AttributeDefinition attribute) {
    return attribute.getMutability() == AttributeDefinition.Mutability.READ_ONLY
        || attribute.getMutability() == AttributeDefinition.Mutability.WRITE_ONLY;
  }
}
