package dev.scimflow.scim;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One operation of a bulk request (RFC 7644 §3.7) as the client sent it: nothing in it is checked until it is
 * performed, so that a wrong operation is answered on its own and the others still run.
 *
 * @param index   its position in the request, from 0
 * @param method  POST, PUT, PATCH or DELETE (upper-cased; anything else is refused when it is performed); null if absent
 * @param bulkId  the client's name for the resource a POST creates; null if absent
 * @param path    {@code /Users}, {@code /Groups}, {@code /Users/{id}}, {@code /Groups/{id}}; the id may be {@code bulkId:x}
 * @param version the ETag the operation requires ({@code If-Match}); null if absent
 * @param data    the body of the request the operation stands for; null if absent
 */
public record BulkOperation(int index, String method, String bulkId, String path, String version, JsonNode data) {

    /** How a reference to another operation's new resource is written, in a path or in any string of {@code data}. */
    public static final String REFERENCE_PREFIX = "bulkId:";

    /** The resource an operation acts on: the endpoint ({@code Users} or {@code Groups}) and the id (null for POST). */
    public record Target(String endpoint, String id) {
    }

    static BulkOperation of(int index, JsonNode operation) {
        if (!(operation instanceof ObjectNode fields)) {
            throw ScimException.invalidSyntax("each of Operations must be a JSON object");
        }
        String method = text(fields, "method");
        return new BulkOperation(index, method == null ? null : method.toUpperCase(Locale.ROOT), text(fields, "bulkId"),
                text(fields, "path"), text(fields, "version"), JsonFields.get(fields, "data"));
    }

    private static String text(ObjectNode fields, String name) {
        JsonNode value = JsonFields.get(fields, name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ScimException.invalidSyntax("the " + name + " of an operation must be a string");
        }
        return value.asString();
    }

    public boolean isPost() {
        return "POST".equals(method);
    }

    /** The bulkIds this operation refers to, in its path and anywhere in its data, in the order they appear. */
    public Set<String> references() {
        Set<String> found = new LinkedHashSet<>();
        String pathReference = pathReference();
        if (pathReference != null) {
            found.add(pathReference);
        }
        collect(data, found);
        return found;
    }

    private String pathReference() {
        int slash = path == null ? -1 : path.lastIndexOf('/');
        if (slash < 0 || !path.startsWith(REFERENCE_PREFIX, slash + 1)) {
            return null;
        }
        return path.substring(slash + 1 + REFERENCE_PREFIX.length());
    }

    private static void collect(JsonNode node, Set<String> found) {
        if (node == null) {
            return;
        }
        if (node.isString() && node.asString().startsWith(REFERENCE_PREFIX)) {
            found.add(node.asString().substring(REFERENCE_PREFIX.length()));
        }
        for (JsonNode child : node) {
            collect(child, found);
        }
    }

    /** The same operation with every {@code bulkId:x} replaced by the id of the resource {@code x} names. */
    public BulkOperation resolved(Map<String, String> ids) {
        String reference = pathReference();
        String resolvedPath = reference == null || !ids.containsKey(reference)
                ? path
                : path.substring(0, path.lastIndexOf('/') + 1) + ids.get(reference);
        return new BulkOperation(index, method, bulkId, resolvedPath, version, resolve(data, ids));
    }

    private static JsonNode resolve(JsonNode node, Map<String, String> ids) {
        if (node == null) {
            return null;
        }
        if (node.isString() && node.asString().startsWith(REFERENCE_PREFIX)) {
            String id = ids.get(node.asString().substring(REFERENCE_PREFIX.length()));
            return id == null ? node : JsonNodeFactory.instance.stringNode(id);
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            object.properties().forEach(field -> copy.set(field.getKey(), resolve(field.getValue(), ids)));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> copy.add(resolve(element, ids)));
            return copy;
        }
        return node;
    }

    /**
     * Where the operation goes: a POST to {@code /Users} or {@code /Groups}, anything else to one resource of them.
     * An unknown endpoint is 404, as it is for a request of its own; a path of the wrong shape for the method is 400.
     */
    public Target target() {
        if (method == null || !Set.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
            throw ScimException.invalidValue("an operation's method must be POST, PUT, PATCH or DELETE");
        }
        if (path == null || !path.startsWith("/")) {
            throw ScimException.invalidValue("an operation's path must be /Users, /Groups, /Users/{id} or /Groups/{id}");
        }
        String[] segments = path.substring(1).split("/", -1);
        String endpoint = switch (segments[0].toLowerCase(Locale.ROOT)) {
            case "users" -> "Users";
            case "groups" -> "Groups";
            default -> throw ScimException.notFound("no endpoint " + path);
        };
        if (isPost()) {
            if (segments.length != 1) {
                throw ScimException.invalidValue("a POST operation's path is the endpoint, /" + endpoint);
            }
            return new Target(endpoint, null);
        }
        if (segments.length != 2 || segments[1].isEmpty()) {
            throw ScimException.invalidValue("a " + method + " operation's path is one resource, /" + endpoint + "/{id}");
        }
        return new Target(endpoint, segments[1]);
    }
}
