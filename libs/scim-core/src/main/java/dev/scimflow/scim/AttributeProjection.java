package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code attributes} and {@code excludedAttributes} parameters of RFC 7644 §3.4.2.5: which attributes
 * of a resource a response carries. {@code id} and {@code schemas} are always returned. Names are
 * case-insensitive and may be URN-qualified or name a sub-attribute ({@code name.givenName},
 * {@code emails.value}, {@code urn:...:enterprise:2.0:User:department}). Zulip's {@code role} is named by any of its
 * spellings ({@code role}, the core or the Zulip extension's URN) and applies to a user as stored, with role at the
 * top, before {@link ScimUsers#withRoleAttribute} moves it where the tenant wants it.
 */
public final class AttributeProjection {

    public static final AttributeProjection ALL = new AttributeProjection(List.of(), List.of());

    private final List<String[]> included;
    private final List<String[]> excluded;

    private AttributeProjection(List<String[]> included, List<String[]> excluded) {
        this.included = included;
        this.excluded = excluded;
    }

    /** From the comma-separated parameters (either may be null); when both are given, attributes wins. */
    public static AttributeProjection of(String attributes, String excludedAttributes) {
        List<String[]> included = parse(attributes);
        return new AttributeProjection(included, included.isEmpty() ? parse(excludedAttributes) : List.of());
    }

    /** True when the caller asked to leave this top-level attribute out (e.g. Group {@code members}). */
    public boolean excludes(String attribute) {
        if (!included.isEmpty()) {
            return included.stream().noneMatch(path -> path[0].equalsIgnoreCase(attribute));
        }
        return excluded.stream().anyMatch(path -> path.length == 1 && path[0].equalsIgnoreCase(attribute));
    }

    /** A copy of the resource with only the attributes asked for. */
    public ObjectNode apply(ObjectNode resource) {
        if (included.isEmpty() && excluded.isEmpty()) {
            return resource;
        }
        ObjectNode result = resource.objectNode();
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            String name = field.getKey();
            if (name.equals("id") || name.equals("schemas")) {
                result.set(name, field.getValue());
                continue;
            }
            JsonNode value = project(name, field.getValue());
            if (value != null) {
                result.set(name, value);
            }
        }
        return result;
    }

    private JsonNode project(String name, JsonNode value) {
        if (!included.isEmpty()) {
            List<String> subs = new ArrayList<>();
            for (String[] path : included) {
                if (path[0].equalsIgnoreCase(name)) {
                    if (path.length == 1) {
                        return value;
                    }
                    subs.add(path[1]);
                }
            }
            return subs.isEmpty() ? null : keep(value, subs, true);
        }
        List<String> subs = new ArrayList<>();
        for (String[] path : excluded) {
            if (path[0].equalsIgnoreCase(name)) {
                if (path.length == 1) {
                    return null;
                }
                subs.add(path[1]);
            }
        }
        return subs.isEmpty() ? value : keep(value, subs, false);
    }

    /** Keeps (or drops) the named sub-attributes of a complex value or of each element of a multi-valued one. */
    private static JsonNode keep(JsonNode value, List<String> subs, boolean keep) {
        if (value instanceof ArrayNode array) {
            ArrayNode result = array.arrayNode();
            array.forEach(element -> result.add(keep(element, subs, keep)));
            return result;
        }
        if (!(value instanceof ObjectNode object)) {
            return keep ? null : value;
        }
        ObjectNode result = object.objectNode();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            boolean named = subs.stream().anyMatch(sub -> sub.equalsIgnoreCase(field.getKey()));
            if (named == keep) {
                result.set(field.getKey(), field.getValue());
            }
        }
        return result;
    }

    /** Each name as [attribute] or [attribute, sub]; a URN-qualified core name loses its URN. */
    private static List<String[]> parse(String list) {
        List<String[]> paths = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return paths;
        }
        for (String text : list.split(",")) {
            String trimmed = text.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equalsIgnoreCase(ScimSchemas.ZULIP_USER)) {
                // the whole extension is its role, kept at the top of a user until the tenant's view is made
                paths.add(new String[]{UserSchema.ROLE.getName()});
                continue;
            }
            if (trimmed.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER)) {
                // the SDK reads a bare extension URN as attribute "User" of a shorter URN
                paths.add(new String[]{ScimSchemas.ENTERPRISE_USER});
                continue;
            }
            Path path;
            try {
                path = Path.fromString(trimmed);
            } catch (BadRequestException | RuntimeException e) {
                throw ScimException.invalidValue("'" + trimmed + "' is not an attribute name");
            }
            String urn = path.getSchemaUrn();
            if (urn != null && urn.equalsIgnoreCase(ScimSchemas.ZULIP_USER)) {
                // the Zulip extension's attributes are kept at the top of a user until the tenant's view is made
                paths.add(new String[]{path.getElement(0).getAttribute()});
            } else if (path.size() == 0) {
                paths.add(new String[]{urn});
            } else if (urn != null && !isCore(urn)) {
                String[] sub = path.size() == 1 ? new String[]{urn, path.getElement(0).getAttribute()} : new String[]{urn};
                paths.add(sub);
            } else {
                paths.add(path.size() == 1
                        ? new String[]{path.getElement(0).getAttribute()}
                        : new String[]{path.getElement(0).getAttribute(), path.getElement(1).getAttribute()});
            }
        }
        return paths;
    }

    private static boolean isCore(String urn) {
        return urn.toLowerCase(Locale.ROOT).startsWith("urn:ietf:params:scim:schemas:core:2.0:");
    }
}
