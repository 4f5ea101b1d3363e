package dev.scimflow.scim;

import static com.unboundid.scim2.common.types.AttributeDefinition.Mutability.IMMUTABLE;
import static com.unboundid.scim2.common.types.AttributeDefinition.Mutability.READ_ONLY;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.COMPLEX;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.REFERENCE;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.STRING;
import static com.unboundid.scim2.common.types.AttributeDefinition.Uniqueness.SERVER;
import static dev.scimflow.scim.SchemaAttributes.attribute;

import java.util.List;

import com.unboundid.scim2.common.types.AttributeDefinition;

/**
 * The Group resource as scimflow understands it: the core schema of RFC 7643 §4.2, whose members are users and
 * groups of the same tenant, plus the common attributes of §3.1. The single source for validation, PATCH path resolution and
 * the {@code /Schemas} discovery document.
 */
public final class GroupSchema {

    public static final ResourceSchema CORE = new ResourceSchema(ScimSchemas.GROUP, "Group", "Group", List.of(
            attribute("displayName", STRING, "A human-readable name for the Group, unique within the tenant")
                    .setRequired(true).setUniqueness(SERVER).build(),
            attribute("members", COMPLEX, "The users and groups that belong to the Group").setMultiValued(true).addSubAttributes(
                    attribute("value", STRING, "The id of the member User or Group").setCaseExact(true).setMutability(IMMUTABLE).build(),
                    attribute("$ref", REFERENCE, "The URI of the member User or Group").addReferenceTypes("User", "Group")
                            .setMutability(IMMUTABLE).build(),
                    attribute("display", STRING, "The member's display name, computed by the server")
                            .setMutability(READ_ONLY).build(),
                    attribute("type", STRING, "User or Group; found by the server when not sent")
                            .addCanonicalValues("User", "Group").setMutability(IMMUTABLE).build())
                    .build()));

    /** id, externalId and meta (RFC 7643 §3.1): part of every resource, listed in no schema. */
    public static final List<AttributeDefinition> COMMON = UserSchema.COMMON;

    private GroupSchema() {
    }
}
