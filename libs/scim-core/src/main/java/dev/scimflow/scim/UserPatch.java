package dev.scimflow.scim;

import com.unboundid.scim2.common.utils.JsonUtils;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed, validated PATCH request (RFC 7644 §3.5.2) for a User. Parsing resolves every path against
 * the User schema, so an invalid request fails at the ingress before anything is applied; applying
 * works on a copy and re-validates the result like a PUT.
 */
public final class UserPatch {

  /** More operations than this in one request is refused (tooMany). */
  public static final int MAX_OPERATIONS = 1000;

  private final List<UserPatchOperation> operations;
  private final int operationCount;

  private UserPatch(List<UserPatchOperation> operations, int operationCount) {
    this.operations = List.copyOf(operations);
    this.operationCount = operationCount;
  }

  public static UserPatch parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ScimException.invalidSyntax("A PATCH request must be a JSON object");
    }
    JsonNode schemas = JsonFields.get(body, "schemas");
    if (schemas == null || !schemas.isArray()
        || schemas.valueStream().noneMatch(urn -> urn.asString().equalsIgnoreCase(ScimSchemas.PATCH_OP))) {
      throw ScimException.invalidSyntax("'schemas' must contain " + ScimSchemas.PATCH_OP);
    }
    JsonNode operations = JsonFields.get(body, "Operations");
    if (operations == null || !operations.isArray() || operations.isEmpty()) {
      throw ScimException.invalidSyntax("'Operations' must be a non-empty array");
    }
    if (operations.size() > MAX_OPERATIONS) {
      throw ScimException.tooMany("A PATCH request may hold at most " + MAX_OPERATIONS + " operations");
    }
    List<UserPatchOperation> resolved = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      resolved.addAll(UserPatchReader.read(operations.get(i), i));
    }
    return new UserPatch(resolved, operations.size());
  }

  /** The new stored document; the input is never modified, and any failure leaves nothing applied. */
  public ObjectNode applyTo(JsonNode storedDocument) {
    if (storedDocument == null || !storedDocument.isObject()) {
      throw new IllegalArgumentException("A stored User document is a JSON object");
    }
    // The SDK's case-ignoring nodes let value filters such as [Type eq "work"] match "type".
    ObjectNode working = JsonUtils.valueToNode(storedDocument.deepCopy());
    for (UserPatchOperation operation : operations) {
      operation.applyTo(working);
    }
    return UserDocument.canonicalise(working);
  }

  /** How many operations the request held, as sent. */
  public int operationCount() {
    return operationCount;
  }
}
