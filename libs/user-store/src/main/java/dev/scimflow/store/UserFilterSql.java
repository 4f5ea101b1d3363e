package dev.scimflow.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;

import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import tools.jackson.databind.node.ValueNode;

/**
 * Translates a SCIM filter (parsed by the UnboundID SDK) into a parameterized SQL condition over
 * {@code scim.users}. Values are always bind parameters, never SQL text. Attributes with an indexed column
 * (id, userName, externalId, active, meta.created, meta.lastModified) use it; the rest read the JSON document.
 * Attributes that are not caseExact compare case-insensitively, as RFC 7643 says.
 */
final class UserFilterSql {

    private enum Kind { TEXT, BOOLEAN, DATETIME }

    private record Attribute(String expression, Kind kind, boolean caseExact) {
    }

    private static final Map<String, Attribute> ATTRIBUTES = Map.ofEntries(
            Map.entry("id", new Attribute("id", Kind.TEXT, true)),
            Map.entry("username", new Attribute("user_name", Kind.TEXT, false)),
            Map.entry("externalid", new Attribute("external_id", Kind.TEXT, true)),
            Map.entry("active", new Attribute("active", Kind.BOOLEAN, false)),
            Map.entry("meta.created", new Attribute("created_at", Kind.DATETIME, false)),
            Map.entry("meta.lastmodified", new Attribute("last_modified", Kind.DATETIME, false)),
            Map.entry("displayname", new Attribute("document->>'displayName'", Kind.TEXT, false)),
            Map.entry("nickname", new Attribute("document->>'nickName'", Kind.TEXT, false)),
            Map.entry("title", new Attribute("document->>'title'", Kind.TEXT, false)),
            Map.entry("usertype", new Attribute("document->>'userType'", Kind.TEXT, false)),
            Map.entry("locale", new Attribute("document->>'locale'", Kind.TEXT, false)),
            Map.entry("role", new Attribute("document->>'role'", Kind.TEXT, false)),
            Map.entry("name.formatted", new Attribute("document#>>'{name,formatted}'", Kind.TEXT, false)),
            Map.entry("name.givenname", new Attribute("document#>>'{name,givenName}'", Kind.TEXT, false)),
            Map.entry("name.familyname", new Attribute("document#>>'{name,familyName}'", Kind.TEXT, false)),
            Map.entry("emails.value", new Attribute(
                    "(select string_agg(e->>'value', ' ') from jsonb_array_elements(coalesce(document->'emails', '[]'::jsonb)) e)",
                    Kind.TEXT, false)));

    private UserFilterSql() {
    }

    static SqlCondition toSql(Filter filter) {
        List<Object> params = new ArrayList<>();
        String sql = condition(filter, params);
        return new SqlCondition(sql, params);
    }

    private static String condition(Filter filter, List<Object> params) {
        return switch (filter.getFilterType()) {
            case AND, OR -> {
                List<String> parts = new ArrayList<>();
                for (Filter part : filter.getCombinedFilters()) {
                    parts.add("(" + condition(part, params) + ")");
                }
                yield String.join(filter.getFilterType().name().equals("AND") ? " and " : " or ", parts);
            }
            case NOT -> "not coalesce((" + condition(filter.getInvertedFilter(), params) + "), false)";
            case COMPLEX_VALUE -> throw ScimException.invalidFilter("value filters such as emails[type eq \"work\"] are not supported in searches yet");
            case PRESENT -> {
                Attribute attribute = attribute(filter.getAttributePath());
                yield attribute.kind() == Kind.TEXT
                        ? "coalesce(" + attribute.expression() + ", '') <> ''"
                        : attribute.expression() + " is not null";
            }
            default -> comparison(filter, attribute(filter.getAttributePath()), params);
        };
    }

    private static String comparison(Filter filter, Attribute attribute, List<Object> params) {
        ValueNode value = filter.getComparisonValue();
        String operator = switch (filter.getFilterType()) {
            case EQUAL -> "=";
            case NOT_EQUAL -> "<>";
            case GREATER_THAN -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LESS_THAN -> "<";
            case LESS_OR_EQUAL -> "<=";
            default -> "like";
        };
        if (value == null || value.isNull()) {
            return switch (filter.getFilterType()) {
                case EQUAL -> attribute.expression() + " is null";
                case NOT_EQUAL -> attribute.expression() + " is not null";
                default -> throw ScimException.invalidFilter("null can only be compared with eq or ne");
            };
        }
        return switch (attribute.kind()) {
            case BOOLEAN -> {
                if (!value.isBoolean() || !(operator.equals("=") || operator.equals("<>"))) {
                    throw ScimException.invalidFilter("a boolean attribute is compared with eq or ne and true or false");
                }
                params.add(value.booleanValue());
                yield attribute.expression() + " " + operator + " ?";
            }
            case DATETIME -> {
                if (!value.isString() || operator.equals("like")) {
                    throw ScimException.invalidFilter("a dateTime attribute is compared with eq, ne, gt, ge, lt or le and a dateTime string");
                }
                params.add(dateTime(value.stringValue()));
                yield attribute.expression() + " " + operator + " ?";
            }
            case TEXT -> text(filter, attribute, operator, value, params);
        };
    }

    private static String text(Filter filter, Attribute attribute, String operator, ValueNode value, List<Object> params) {
        if (!value.isString()) {
            throw ScimException.invalidFilter("a string attribute is compared with a string value");
        }
        String expression = attribute.caseExact() ? attribute.expression() : "lower(" + attribute.expression() + ")";
        String text = attribute.caseExact() ? value.stringValue() : value.stringValue().toLowerCase(Locale.ROOT);
        if (operator.equals("like")) {
            String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            params.add(switch (filter.getFilterType()) {
                case CONTAINS -> "%" + escaped + "%";
                case STARTS_WITH -> escaped + "%";
                default -> "%" + escaped;
            });
            return expression + " like ? escape '\\'";
        }
        params.add(text);
        return operator.equals("<>")
                ? "(" + expression + " is null or " + expression + " <> ?)"
                : expression + " " + operator + " ?";
    }

    private static java.sql.Timestamp dateTime(String text) {
        try {
            return java.sql.Timestamp.from(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            throw ScimException.invalidFilter("not a dateTime: " + text);
        }
    }

    private static Attribute attribute(Path path) {
        String urn = path.getSchemaUrn();
        if (urn != null && !urn.equalsIgnoreCase(ScimSchemas.USER)) {
            throw ScimException.invalidFilter("filtering on " + urn + " attributes is not supported");
        }
        StringBuilder key = new StringBuilder();
        for (Path.Element element : path) {
            if (element.getValueFilter() != null) {
                throw ScimException.invalidFilter("value filters are not supported in searches yet");
            }
            key.append(key.isEmpty() ? "" : ".").append(element.getAttribute().toLowerCase(Locale.ROOT));
        }
        Attribute attribute = ATTRIBUTES.get(key.toString());
        if (attribute == null) {
            throw ScimException.invalidFilter("unknown or unfilterable attribute: " + path);
        }
        return attribute;
    }
}
