package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the user ids out of a {@code members} value as IdPs send it: an array of
 * {@code {"value":"id","display":...,"$ref":...,"type":"User"}} objects, a single such object, or bare ids.
 * Only {@code value} counts: display and $ref are the server's to compute. Repeated ids collapse into one.
 */
final class MemberValues {

  private MemberValues() {
  }

  /** The ids in the order first sent; empty for an unassigned value (null, [], {}). */
  static List<String> ids(JsonNode value, String where) {
    if (AttributeValues.absent(value)) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode element : value.isArray() ? value : List.of(value)) {
      if (!AttributeValues.absent(element)) {
        ids.add(id(element, where));
      }
    }
    return new ArrayList<>(ids);
  }

  private static String id(JsonNode element, String where) {
    JsonNode id = element;
    if (element.isObject()) {
      JsonNode type = JsonFields.get(element, "type");
      if (type != null && !type.isNull() && !(type.isString() && type.stringValue().equalsIgnoreCase("User"))) {
        throw ScimException.invalidValue("'" + where + "' may only hold users; a member of type " + type + " is not supported");
      }
      id = JsonFields.get(element, "value");
    }
    if (id == null || !id.isString() || id.stringValue().isBlank()) {
      throw ScimException.invalidValue("every value of '" + where + "' needs a 'value' with the id of a user");
    }
    return id.stringValue();
  }
}
