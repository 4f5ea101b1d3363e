package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A SCIM bulk request (RFC 7644 §3.7): its operations and how many errors the client accepts before the rest are not
 * performed. Parsing checks only the envelope; each operation is checked when it is performed (see
 * {@link BulkOperation}), so one bad operation is answered on its own.
 *
 * @param failOnErrors the number of errors after which no further operation is performed; null when the client set
 *                     none (every operation is performed)
 */
public record BulkRequest(Integer failOnErrors, List<BulkOperation> operations) {

    public BulkRequest {
        operations = List.copyOf(operations);
    }

    /**
     * The request, or a ScimException: 413 when it has more than {@code maxOperations} operations (RFC 7644 §3.7.4: the
     * error names the limit), 400 for a malformed envelope or a bulkId used by two operations.
     */
    public static BulkRequest parse(JsonNode body, int maxOperations) {
        if (!(body instanceof ObjectNode request)) {
            throw ScimException.invalidSyntax("a bulk request is a JSON object");
        }
        JsonNode schemas = JsonFields.get(request, "schemas");
        if (schemas != null && !schemas.isNull() && (!schemas.isArray()
                || schemas.valueStream().noneMatch(schema -> ScimSchemas.BULK_REQUEST.equalsIgnoreCase(schema.asString(""))))) {
            throw ScimException.invalidSyntax("a bulk request's schemas must be [\"" + ScimSchemas.BULK_REQUEST + "\"]");
        }
        if (!(JsonFields.get(request, "Operations") instanceof ArrayNode operations)) {
            throw ScimException.invalidSyntax("a bulk request needs Operations, an array");
        }
        if (operations.size() > maxOperations) {
            throw ScimException.payloadTooLarge("the bulk request has " + operations.size()
                    + " operations; maxOperations is " + maxOperations);
        }
        List<BulkOperation> parsed = new ArrayList<>(operations.size());
        Set<String> bulkIds = new HashSet<>();
        for (int i = 0; i < operations.size(); i++) {
            BulkOperation operation = BulkOperation.of(i, operations.get(i));
            if (operation.bulkId() != null && !bulkIds.add(operation.bulkId())) {
                throw ScimException.invalidValue("bulkId " + operation.bulkId() + " is used by more than one operation");
            }
            parsed.add(operation);
        }
        return new BulkRequest(failOnErrors(request), parsed);
    }

    private static Integer failOnErrors(ObjectNode request) {
        JsonNode value = JsonFields.get(request, "failOnErrors");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw ScimException.invalidValue("failOnErrors must be a whole number of at least 1");
        }
        return value.asInt();
    }
}
