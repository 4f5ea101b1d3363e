package dev.scimflow.scim;

import java.math.BigDecimal;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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

  static Arbitrary<String> attributeNames() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(NAMES)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').withChars('$', '-', '_', ':', '.').ofMinLength(1).ofMaxLength(12)));
  }

  static Arbitrary<String> literals() {
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\u4e2d').ofMaxLength(20)
        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    return Arbitraries.oneOf(text, Arbitraries.of("true", "false", "null", "\"True\"", "\"work\"", "\"2026-01-01T00:00:00Z\"",
            "\"+999999999-12-31T23:59:59Z\"", "\"2026-13-45T99:00:00Z\"", "1e309", "-0", "12345678901234567890", "3.14"),
        Arbitraries.integers().map(String::valueOf));
  }

  static Arbitrary<String> filters() {
    Arbitrary<String> operator = Arbitraries.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Co", "xx");
    Arbitrary<String> comparison = Arbitraries.oneOf(
        Combinators.combine(attributeNames(), operator, literals()).as((a, op, v) -> a + " " + op + " " + v),
        attributeNames().map(a -> a + " pr"));
    return Arbitraries.recursive(() -> comparison, inner -> Arbitraries.oneOf(
        Combinators.combine(inner, inner, Arbitraries.of("and", "or", "AND", "Or")).as((a, b, op) -> "(" + a + ") " + op + " (" + b + ")"),
        Combinators.combine(inner, inner, Arbitraries.of("and", "or")).as((a, b, op) -> a + " " + op + " " + b),
        inner.map(f -> "not (" + f + ")"),
        Combinators.combine(attributeNames(), inner).as((a, f) -> a + "[" + f + "]"),
        inner), 0, 4);
  }

  static Arbitrary<String> paths() {
    return Arbitraries.oneOf(
        attributeNames(),
        Combinators.combine(attributeNames(), attributeNames()).as((a, b) -> a + "." + b),
        Combinators.combine(attributeNames(), filters()).as((a, f) -> a + "[" + f + "]"),
        Combinators.combine(attributeNames(), filters(), attributeNames()).as((a, f, b) -> a + "[" + f + "]." + b),
        Combinators.combine(Arbitraries.of(CORE, ENTERPRISE, "urn:x"), attributeNames()).as((u, a) -> u + ":" + a));
  }

  static Arbitrary<JsonNode> json() {
    Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
        Arbitraries.just(NODES.nullNode()),
        Arbitraries.of(true, false).map(NODES::booleanNode),
        Arbitraries.integers().map(NODES::numberNode),
        Arbitraries.doubles().map(NODES::numberNode),
        Arbitraries.just(NODES.numberNode(new BigDecimal("1e400"))),
        Arbitraries.strings().ofMaxLength(30).map(NODES::stringNode),
        Arbitraries.of("True", "false", "work", "member", "owner", "", "a@example.com", "2026-01-01T00:00:00Z").map(NODES::stringNode));
    return Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
        inner.list().ofMaxSize(4).map(values -> {
          ArrayNode array = NODES.arrayNode();
          values.forEach(array::add);
          return (JsonNode) array;
        }),
        Combinators.combine(attributeNames(), inner).as(java.util.Map::entry).list().ofMaxSize(4).map(entries -> {
          ObjectNode object = NODES.objectNode();
          entries.forEach(e -> object.set(e.getKey(), e.getValue()));
          return (JsonNode) object;
        })), 0, 4);
  }

  /** User bodies: known and unknown attributes with values of any type, sometimes with a userName. */
  static Arbitrary<JsonNode> users() {
    return Combinators.combine(Combinators.combine(attributeNames(), json()).as(java.util.Map::entry).list().ofMaxSize(8),
        Arbitraries.of(true, false), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)).as((entries, named, name) -> {
          ObjectNode user = NODES.objectNode();
          if (named) {
            user.put("userName", name + "@example.com");
          }
          entries.forEach(e -> user.set(e.getKey(), e.getValue()));
          return (JsonNode) user;
        });
  }

  /** Paths and values as IdPs send them, so that most generated PATCHes get past validation into the engine. */
  static Arbitrary<String> realisticPaths() {
    return Arbitraries.of("active", "userName", "displayName", "title", "role", "name.givenName", "name.familyName", "name",
        "emails", "emails[type eq \"work\"].value", "emails[type eq \"work\"]", "emails[value co \"@\" and primary eq true].type",
        "phoneNumbers[type eq \"mobile\"].value", "phoneNumbers", "roles", "addresses[type eq \"work\"].locality",
        ENTERPRISE + ":department", ENTERPRISE + ":manager", ENTERPRISE + ":manager.value", ENTERPRISE, CORE + ":title",
        "externalId", "locale", "x509Certificates", "entitlements[value eq \"x\"]", "emails[not (type eq \"home\")].display");
  }

  static Arbitrary<JsonNode> realisticValues() {
    Arbitrary<JsonNode> email = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
        Arbitraries.of("work", "home", "other"), Arbitraries.of(true, false)).as((v, t, p) -> {
          ObjectNode node = NODES.objectNode();
          node.put("value", v + "@example.com");
          node.put("type", t);
          node.put("primary", p);
          return (JsonNode) node;
        });
    return Arbitraries.oneOf(
        Arbitraries.of("True", "False", "x", "member", "guest", "Sales", "m-2").map(v -> (JsonNode) NODES.stringNode(v)),
        Arbitraries.of(true, false).map(v -> (JsonNode) NODES.booleanNode(v)),
        email,
        email.list().ofMaxSize(3).map(list -> {
          ArrayNode array = NODES.arrayNode();
          list.forEach(array::add);
          return (JsonNode) array;
        }),
        json());
  }

  static Arbitrary<JsonNode> patches() {
    Arbitrary<JsonNode> operation = Combinators.combine(
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, Arbitraries.of("add", "replace", "remove", "Add", "REPLACE", "Remove")),
            net.jqwik.api.Tuple.of(1, Arbitraries.of("copy", "", "move"))),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, realisticPaths()), net.jqwik.api.Tuple.of(3, paths())).injectNull(0.2),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, realisticValues()), net.jqwik.api.Tuple.of(1, json())).injectNull(0.1))
        .as((op, path, value) -> {
          ObjectNode node = NODES.objectNode();
          node.put("op", op);
          if (path != null) {
            node.put("path", path);
          }
          if (value != null) {
            node.set("value", value);
          }
          return (JsonNode) node;
        });
    return operation.list().ofMinSize(1).ofMaxSize(3).map(operations -> {
      ObjectNode body = NODES.objectNode();
      body.putArray("schemas").add(ScimSchemas.PATCH_OP);
      ArrayNode array = body.putArray("Operations");
      operations.forEach(array::add);
      return (JsonNode) body;
    });
  }
}
