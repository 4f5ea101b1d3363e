package dev.scimflow.scim;

import static dev.scimflow.scim.Gen.weighted;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Generators of what clients send, valid and not: attribute names, filters, paths, JSON values, users, PATCH bodies. */
final class ScimGrammar {
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> NAMES = List.of("userName", "USERNAME", "name", "givenName", "familyName", "formatted",
            "emails", "value", "type", "primary", "display", "active", "role", "title", "externalId", "id", "meta", "groups",
            "members", "password", "phoneNumbers", "addresses", "streetAddress", "x509Certificates", "manager", "department",
            "employeeNumber", "locale", "nickName", "roles", "entitlements", "ims", "photos", "lastModified", "created", "$ref",
            "displayName", "schemas", "userType", "timezone", "profileUrl", "preferredLanguage", CORE + ":userName",
            ENTERPRISE + ":department", ENTERPRISE + ":manager", ENTERPRISE + ":manager.value", ENTERPRISE, CORE, "nope");

    private ScimGrammar() {
    }

    static Gen<String> attributeNames() {
        return Gen.frequency(
                weighted(8, Gen.of(NAMES)),
                weighted(1, Gen.strings(Gen.oneOf(Gen.chars('a', 'z'), Gen.chars("$-_:.")), 1, 12)));
    }

    static Gen<String> literals() {
        Gen<String> text = Gen.strings(Gen.oneOf(Gen.chars(' ', '~'), Gen.chars("\u00e9\u4e2d")), 0, 20)
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        return Gen.oneOf(text, Gen.of("true", "false", "null", "\"True\"", "\"work\"", "\"2026-01-01T00:00:00Z\"",
                "\"+999999999-12-31T23:59:59Z\"", "\"2026-13-45T99:00:00Z\"", "1e309", "-0", "12345678901234567890", "3.14"),
                Gen.integers().map(String::valueOf));
    }

    static Gen<String> filters() {
        Gen<String> operator = Gen.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Co", "xx");
        Gen<String> names = attributeNames();
        Gen<String> literals = literals();
        Gen<String> comparison = Gen.oneOf(
                r -> names.next(r) + " " + operator.next(r) + " " + literals.next(r),
                names.map(a -> a + " pr"));
        Gen<String> andOr = Gen.of("and", "or", "AND", "Or");
        Gen<String> andOrLower = Gen.of("and", "or");
        return Gen.recursive(comparison, inner -> Gen.oneOf(
                r -> "(" + inner.next(r) + ") " + andOr.next(r) + " (" + inner.next(r) + ")",
                r -> inner.next(r) + " " + andOrLower.next(r) + " " + inner.next(r),
                inner.map(f -> "not (" + f + ")"),
                r -> names.next(r) + "[" + inner.next(r) + "]",
                inner), 0, 4);
    }

    static Gen<String> paths() {
        Gen<String> names = attributeNames();
        Gen<String> filters = filters();
        Gen<String> urns = Gen.of(CORE, ENTERPRISE, "urn:x");
        return Gen.oneOf(
                names,
                r -> names.next(r) + "." + names.next(r),
                r -> names.next(r) + "[" + filters.next(r) + "]",
                r -> names.next(r) + "[" + filters.next(r) + "]." + names.next(r),
                r -> urns.next(r) + ":" + names.next(r));
    }

    static Gen<JsonNode> json() {
        Gen<JsonNode> scalar = Gen.oneOf(
                Gen.just(NODES.nullNode()),
                Gen.booleans().map(NODES::booleanNode),
                Gen.integers().map(NODES::numberNode),
                Gen.doubles().map(NODES::numberNode),
                Gen.just(NODES.numberNode(new BigDecimal("1e400"))),
                Gen.strings(Gen.textChar(), 0, 30).map(NODES::stringNode),
                Gen.of("True", "false", "work", "member", "owner", "", "a@example.com", "2026-01-01T00:00:00Z").map(NODES::stringNode));
        Gen<String> names = attributeNames();
        return Gen.recursive(scalar, inner -> Gen.oneOf(
                inner.list(0, 4).map(values -> {
                    ArrayNode array = NODES.arrayNode();
                    values.forEach(array::add);
                    return (JsonNode) array;
                }),
                entries(names, inner).list(0, 4).map(entries -> {
                    ObjectNode object = NODES.objectNode();
                    entries.forEach(e -> object.set(e.getKey(), e.getValue()));
                    return (JsonNode) object;
                })), 0, 4);
    }

    private static Gen<Map.Entry<String, JsonNode>> entries(Gen<String> names, Gen<JsonNode> values) {
        return r -> Map.entry(names.next(r), values.next(r));
    }

    /** User bodies: known and unknown attributes with values of any type, sometimes with a userName. */
    static Gen<JsonNode> users() {
        Gen<List<Map.Entry<String, JsonNode>>> attributes = entries(attributeNames(), json()).list(0, 8);
        Gen<String> names = Gen.strings(Gen.alpha(), 1, 10);
        return r -> {
            List<Map.Entry<String, JsonNode>> entries = attributes.next(r);
            boolean named = r.nextBoolean();
            String name = names.next(r);
            ObjectNode user = NODES.objectNode();
            if (named) {
                user.put("userName", name + "@example.com");
            }
            entries.forEach(e -> user.set(e.getKey(), e.getValue()));
            return user;
        };
    }

    /** Paths and values as IdPs send them, so that most generated PATCHes get past validation into the engine. */
    static Gen<String> realisticPaths() {
        return Gen.of("active", "userName", "displayName", "title", "role", "name.givenName", "name.familyName", "name",
                "emails", "emails[type eq \"work\"].value", "emails[type eq \"work\"]", "emails[value co \"@\" and primary eq true].type",
                "phoneNumbers[type eq \"mobile\"].value", "phoneNumbers", "roles", "addresses[type eq \"work\"].locality",
                ENTERPRISE + ":department", ENTERPRISE + ":manager", ENTERPRISE + ":manager.value", ENTERPRISE, CORE + ":title",
                "externalId", "locale", "x509Certificates", "entitlements[value eq \"x\"]", "emails[not (type eq \"home\")].display");
    }

    static Gen<JsonNode> realisticValues() {
        Gen<String> locals = Gen.strings(Gen.alpha(), 1, 8);
        Gen<String> types = Gen.of("work", "home", "other");
        Gen<JsonNode> email = r -> {
            ObjectNode node = NODES.objectNode();
            node.put("value", locals.next(r) + "@example.com");
            node.put("type", types.next(r));
            node.put("primary", r.nextBoolean());
            return node;
        };
        return Gen.oneOf(
                Gen.of("True", "False", "x", "member", "guest", "Sales", "m-2").map(v -> (JsonNode) NODES.stringNode(v)),
                Gen.booleans().map(v -> (JsonNode) NODES.booleanNode(v)),
                email,
                email.list(0, 3).map(list -> {
                    ArrayNode array = NODES.arrayNode();
                    list.forEach(array::add);
                    return (JsonNode) array;
                }),
                json());
    }

    static Gen<JsonNode> patches() {
        Gen<String> ops = Gen.frequency(weighted(9, Gen.of("add", "replace", "remove", "Add", "REPLACE", "Remove")),
                weighted(1, Gen.of("copy", "", "move")));
        Gen<String> paths = Gen.<String>frequency(weighted(6, realisticPaths()), weighted(3, paths())).orNull(0.2);
        Gen<JsonNode> values = Gen.<JsonNode>frequency(weighted(3, realisticValues()), weighted(1, json())).orNull(0.1);
        Gen<JsonNode> operation = r -> {
            String op = ops.next(r);
            String path = paths.next(r);
            JsonNode value = values.next(r);
            ObjectNode node = NODES.objectNode();
            node.put("op", op);
            if (path != null) {
                node.put("path", path);
            }
            if (value != null) {
                node.set("value", value);
            }
            return node;
        };
        return operation.list(1, 3).map(operations -> {
            ObjectNode body = NODES.objectNode();
            body.putArray("schemas").add(ScimSchemas.PATCH_OP);
            ArrayNode array = body.putArray("Operations");
            operations.forEach(array::add);
            return (JsonNode) body;
        });
    }
}
