package dev.scimflow.scim;

import static com.unboundid.scim2.common.types.AttributeDefinition.Mutability.READ_WRITE;
import static com.unboundid.scim2.common.types.AttributeDefinition.Returned.DEFAULT;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.BOOLEAN;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.COMPLEX;
import static com.unboundid.scim2.common.types.AttributeDefinition.Type.STRING;
import static com.unboundid.scim2.common.types.AttributeDefinition.Uniqueness.NONE;

import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.AttributeDefinition.Type;

/**
 * Short constructors for attribute definitions, so that the schemas read like the tables of RFC 7643
 * rather than like builder boilerplate. Every property is set explicitly because {@code /Schemas}
 * publishes all of them.
 */
final class SchemaAttributes {

    private SchemaAttributes() {
    }

    static AttributeDefinition.Builder attribute(String name, Type type, String description) {
        return new AttributeDefinition.Builder().setName(name).setType(type).setDescription(description)
                .setMultiValued(false).setRequired(false).setCaseExact(false)
                .setMutability(READ_WRITE).setReturned(DEFAULT).setUniqueness(NONE);
    }

    static AttributeDefinition string(String name, String description) {
        return attribute(name, STRING, description).build();
    }

    static AttributeDefinition bool(String name, String description) {
        return attribute(name, BOOLEAN, description).build();
    }

    static AttributeDefinition complex(String name, String description, AttributeDefinition... subAttributes) {
        return attribute(name, COMPLEX, description).addSubAttributes(subAttributes).build();
    }

    /** A multi-valued complex attribute such as {@code emails}. */
    static AttributeDefinition multiValued(String name, String description, AttributeDefinition... subAttributes) {
        return attribute(name, COMPLEX, description).setMultiValued(true).addSubAttributes(subAttributes).build();
    }

    /** The value/display/type/primary quartet RFC 7643 §2.4 gives most multi-valued attributes. */
    static AttributeDefinition[] valueDisplayTypePrimary(Type valueType, String... canonicalTypes) {
        return new AttributeDefinition[]{
                attribute("value", valueType, "The value of the attribute").build(),
                string("display", "A human-readable name, primarily used for display purposes"),
                attribute("type", STRING, "A label indicating the attribute's function")
                        .addCanonicalValues(canonicalTypes).build(),
                bool("primary", "Whether this is the primary or preferred value of the attribute"),
        };
    }
}
