package dev.scimflow.scim;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.types.AttributeDefinition;

import tools.jackson.databind.JsonNode;

/**
 * A PATCH path resolved against a resource's schema (User or Group): which namespace, which attribute,
 * an optional value filter and an optional sub-attribute, all with canonical names. Parsing is the SDK's;
 * what it adds is knowing the attributes, so that unknown ones fail before anything is applied.
 */
record AttributePath(ResourceSchema schema, AttributeDefinition attribute, Filter filter,
                     AttributeDefinition subAttribute) {

    static AttributePath parse(String text) {
        return parse(text, "User", UserAttributes::namespace, UserAttributes::find);
    }

    /**
     * The same for any resource type: {@code namespaces} maps a path's schema URN (null when unqualified) to
     * the schema it names, {@code attributes} finds an attribute in it; {@code resourceName} is for messages.
     */
    static AttributePath parse(String text, String resourceName, Function<String, Optional<ResourceSchema>> namespaces,
                               BiFunction<ResourceSchema, String, Optional<AttributeDefinition>> attributes) {
        requireWellFormed(text);
        Path path;
        try {
            path = Path.fromString(text);
        } catch (BadRequestException | RuntimeException e) {
            throw ScimException.invalidPath("'" + text + "' is not a valid attribute path");
        }
        ResourceSchema schema = namespaces.apply(path.getSchemaUrn())
                .orElseThrow(() -> ScimException.invalidPath("'" + text + "' names an unknown schema"));
        if (path.size() < 1 || path.size() > 2) {
            throw ScimException.invalidPath("'" + text + "' is not a " + resourceName + " attribute");
        }
        Path.Element first = path.getElement(0);
        AttributeDefinition attribute = attributes.apply(schema, first.getAttribute())
                .orElseThrow(() -> ScimException.invalidPath("'" + first.getAttribute() + "' is not a " + resourceName + " attribute"));
        if (first.getValueFilter() != null && !attribute.isMultiValued()) {
            throw ScimException.invalidPath("'" + attribute.getName() + "' is single-valued and takes no value filter");
        }
        if (path.size() == 1) {
            return new AttributePath(schema, attribute, first.getValueFilter(), null);
        }
        Path.Element second = path.getElement(1);
        AttributeDefinition sub = ResourceSchema.subAttribute(attribute, second.getAttribute())
                .filter(found -> second.getValueFilter() == null)
                .orElseThrow(() -> ScimException.invalidPath("'" + text + "' is not a " + resourceName + " attribute"));
        return new AttributePath(schema, attribute, first.getValueFilter(), sub);
    }

    /**
     * The SDK reads {@code emails[type eq "work"} as closed and {@code emails[type eq "work"]x} as {@code .x}: a value
     * filter must be closed, and followed by the end of the path or by {@code .subAttribute}.
     */
    private static void requireWellFormed(String text) {
        try {
            FilterParser.requireBalanced(text, "path");
        } catch (ScimException e) {
            throw ScimException.invalidPath("'" + text + "' is not a valid attribute path: " + e.detail());
        }
        int close = text.lastIndexOf(']');
        if (close >= 0 && close + 1 < text.length() && text.charAt(close + 1) != '.') {
            throw ScimException.invalidPath("'" + text + "' is not a valid attribute path");
        }
    }

    /** Targets something the server owns (id, meta, groups, manager.displayName). */
    boolean readOnly() {
        return attribute.getMutability() == AttributeDefinition.Mutability.READ_ONLY
                || (subAttribute != null && subAttribute.getMutability() == AttributeDefinition.Mutability.READ_ONLY);
    }

    boolean writeOnly() {
        return attribute.getMutability() == AttributeDefinition.Mutability.WRITE_ONLY;
    }

    /** The path as the SDK applies it; what is stored at the top (core, Zulip's role) stays unqualified. */
    Path toSdkPath() {
        Path element = elementPath();
        return subAttribute == null ? element : element.attribute(subAttribute.getName());
    }

    /** The path up to and including the value filter: which values of a multi-valued attribute. */
    Path elementPath() {
        Path root = UserAttributes.storedAtTop(schema) ? Path.root() : Path.root(schema.id());
        return filter == null ? root.attribute(attribute.getName()) : root.attribute(attribute.getName(), filter);
    }

    /** The PATCH value in stored form; null when it means "unassigned". */
    JsonNode canonicalValue(JsonNode value) {
        String where = attribute.getName() + (subAttribute == null ? "" : "." + subAttribute.getName());
        if (subAttribute != null) {
            return AttributeValues.canonical(subAttribute, value, where);
        }
        return filter != null
                ? AttributeValues.singular(attribute, value, where)
                : AttributeValues.canonical(attribute, value, where);
    }

    @Override
    public String toString() {
        return toSdkPath().toString();
    }
}
