package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Reads the member ids out of a {@code members} value as IdPs send it: an array of
 * {@code {"value":"id","display":...,"$ref":...,"type":"User"}} objects, a single such object, or bare ids.
 * {@code value} names the member and {@code type} (User or Group, optional) says what it is; display and $ref are
 * the server's to compute. Repeated ids collapse into one.
 */
final class MemberValues {

    private MemberValues() {
    }

    /** The ids in the order first sent; empty for an unassigned value (null, [], {}). */
    static List<String> ids(JsonNode value, String where) {
        return ids(value, where, new LinkedHashMap<>());
    }

    /** The same, recording in {@code declaredTypes} the type of each member that states one. */
    static List<String> ids(JsonNode value, String where, Map<String, MemberType> declaredTypes) {
        if (AttributeValues.absent(value)) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode element : value.isArray() ? value : List.of(value)) {
            if (!AttributeValues.absent(element)) {
                ids.add(id(element, where, declaredTypes));
            }
        }
        return new ArrayList<>(ids);
    }

    private static String id(JsonNode element, String where, Map<String, MemberType> declaredTypes) {
        JsonNode id = element;
        MemberType declared = null;
        if (element.isObject()) {
            JsonNode type = JsonFields.get(element, "type");
            if (type != null && !type.isNull()) {
                declared = (type.isString() ? MemberType.of(type.stringValue()) : java.util.Optional.<MemberType>empty())
                        .orElseThrow(
                                () -> ScimException.invalidValue("the type of a member of '" + where + "' is User or Group, not " + type));
            }
            id = JsonFields.get(element, "value");
        }
        if (id == null || !id.isString() || id.stringValue().isBlank()) {
            throw ScimException.invalidValue("every value of '" + where + "' needs a 'value' with the id of a user or group");
        }
        if (declared != null) {
            MemberType earlier = declaredTypes.putIfAbsent(id.stringValue(), declared);
            if (earlier != null && earlier != declared) {
                throw ScimException.invalidValue("member " + id.stringValue() + " is given as both User and Group");
            }
        }
        return id.stringValue();
    }
}
