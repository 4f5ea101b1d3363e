package dev.scimflow.scim;

import java.util.Optional;

import com.unboundid.scim2.common.types.AttributeDefinition;

/**
 * Finds Group attributes by name: the core namespace (unqualified or the Group URN, case-insensitively)
 * holds the Group schema and the common attributes; there is no extension.
 */
final class GroupAttributes {

    private GroupAttributes() {
    }

    static Optional<ResourceSchema> namespace(String urn) {
        return urn == null || urn.equalsIgnoreCase(ScimSchemas.GROUP) ? Optional.of(GroupSchema.CORE) : Optional.empty();
    }

    static Optional<AttributeDefinition> find(ResourceSchema schema, String name) {
        Optional<AttributeDefinition> found = schema.attribute(name);
        return found.isPresent()
                ? found
                : GroupSchema.COMMON.stream().filter(common -> common.getName().equalsIgnoreCase(name)).findFirst();
    }

    static AttributePath path(String text) {
        return AttributePath.parse(text, "Group", GroupAttributes::namespace, GroupAttributes::find);
    }

    /** A key of a request body or path-less PATCH value: an attribute name, maybe prefixed by the Group URN. */
    static String unqualified(String key) {
        String prefix = ScimSchemas.GROUP + ":";
        return key.length() > prefix.length() && key.regionMatches(true, 0, prefix, 0, prefix.length())
                ? key.substring(prefix.length())
                : key;
    }
}
