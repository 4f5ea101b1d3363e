package dev.scimflow.scim;

import java.util.List;
import java.util.Optional;

import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.SchemaResource;

/**
 * One SCIM schema (RFC 7643 §7): its URN and its attribute definitions. The definitions are the SDK's
 * own {@link AttributeDefinition} so that {@code /Schemas} can serialise them as they are, and so that
 * validation, PATCH and discovery read the same metadata.
 */
public record ResourceSchema(String id, String name, String description, List<AttributeDefinition> attributes) {

    public ResourceSchema {
        attributes = List.copyOf(attributes);
    }

    /** The attribute of this schema with that name, compared case-insensitively as RFC 7643 §2.1 wants. */
    public Optional<AttributeDefinition> attribute(String attributeName) {
        return find(attributes, attributeName);
    }

    /** A sub-attribute of a complex attribute, by case-insensitive name. */
    public static Optional<AttributeDefinition> subAttribute(AttributeDefinition parent, String subName) {
        return parent.getSubAttributes() == null ? Optional.empty() : find(parent.getSubAttributes(), subName);
    }

    /** The discovery document for {@code GET /Schemas/{id}}. */
    public SchemaResource toSchemaResource() {
        return new SchemaResource(id, name, description, attributes);
    }

    private static Optional<AttributeDefinition> find(Iterable<AttributeDefinition> definitions, String name) {
        for (AttributeDefinition definition : definitions) {
            if (definition.getName().equalsIgnoreCase(name)) {
                return Optional.of(definition);
            }
        }
        return Optional.empty();
    }
}
