package dev.scimflow.store;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.AttributeDefinition.Type;

import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.UserSchema;
import tools.jackson.databind.node.ValueNode;

/**
 * Translates a SCIM filter (parsed by the UnboundID SDK) into a parameterized SQL condition over
 * {@code scim.users}, with the SDK's own matching semantics (its {@code FilterEvaluator}): an attribute
 * matches when any of its values does, an absent attribute is {@code ne} anything and {@code eq null},
 * and strings compare case-insensitively unless the attribute is caseExact. Every attribute of the User
 * schemas can be filtered; the indexed columns (id, userName, externalId, active, emails.value,
 * meta.created, meta.lastModified) are used where they exist, the JSON document elsewhere. {@code groups} (read-only,
 * computed) is a query over the membership rows: {@code groups.value eq "id"} finds the group's direct members and
 * the members of every group nested in it, at any depth (a recursive query over the nesting rows). Values and JSON
 * paths are always bind parameters, never SQL text.
 */
final class UserFilterSql {

    /** A single-valued attribute held in a column of its own. */
    private record Column(String sql, boolean alwaysPresent) {
    }

    private static final Map<String, Column> COLUMNS = Map.of(
            "id", new Column("id", true),
            "username", new Column("user_name", true),
            "externalid", new Column("external_id", false),
            "active", new Column("active", true),
            "meta.created", new Column("created_at", true),
            "meta.lastmodified", new Column("last_modified", true));

    /** What an attribute path resolves to: its definition, and where its values are. */
    private record Target(AttributeDefinition definition, Column column, String jsonPath) {
    }

    /**
     * The users of the groups a condition on {@code scim.groups g} selects, directly or through groups nested in them.
     * Uncorrelated, so that it is computed once per query: the tenant is a parameter of its own.
     */
    private static final String GROUP_MEMBERS = "id in (with recursive below(id) as ("
            + "select g.id from scim.groups g where g.tenant_id = ? and (%s)"
            + " union select n.member_group_id from scim.group_member_groups n join below b on n.group_id = b.id where n.tenant_id = ?)"
            + " select m.user_id from scim.group_members m where m.tenant_id = ? and m.group_id in (select id from below))";

    private final String tenant;
    private final List<Object> params = new ArrayList<>();

    private UserFilterSql(String tenant) {
        this.tenant = tenant;
    }

    /** The condition for the users of {@code tenant} (the tenant matters to filters on their groups). */
    static SqlCondition toSql(Filter filter, String tenant) {
        UserFilterSql translation = new UserFilterSql(tenant);
        String sql = translation.condition(filter, "document", null);
        return new SqlCondition(sql, translation.params);
    }

    /** The SQL for the expression that orders by an attribute (lower-cased where not caseExact). */
    static SqlCondition sortKey(String sortBy) {
        Path path;
        try {
            path = Path.fromString(sortBy);
        } catch (Exception e) {
            throw ScimException.invalidValue("sortBy is not an attribute path: " + sortBy);
        }
        UserFilterSql translation = new UserFilterSql(null);
        if (isGroups(path)) {
            throw ScimException.invalidValue("users cannot be sorted by their groups");
        }
        Target target = translation.resolve(path, null);
        String value = target.column() != null
                ? target.column().sql()
                : "(select v #>> '{}' from jsonb_path_query(document, ?::jsonpath) v limit 1)";
        if (target.column() == null) {
            translation.params.add(target.jsonPath());
        }
        String key = target.definition().getType() == Type.STRING && !target.definition().isCaseExact()
                ? "lower(" + value + ")"
                : value;
        return new SqlCondition(key, translation.params);
    }

    /** {@code context} is the JSON the filter applies to; {@code parent} is set inside a value filter. */
    private String condition(Filter filter, String context, AttributeDefinition parent) {
        FilterType type = filter.getFilterType();
        switch (type) {
            case AND, OR -> {
                List<String> parts = new ArrayList<>();
                for (Filter part : filter.getCombinedFilters()) {
                    parts.add("(" + condition(part, context, parent) + ")");
                }
                return String.join(type == FilterType.AND ? " and " : " or ", parts);
            }
            case NOT -> {
                return "not (" + condition(filter.getInvertedFilter(), context, parent) + ")";
            }
            case COMPLEX_VALUE -> {
                if (parent == null && isGroups(filter.getAttributePath())) {
                    return groupMembers(filter.getValueFilter(), true);
                }
                Target target = resolve(filter.getAttributePath(), parent);
                if (target.jsonPath() == null || target.definition().getType() != Type.COMPLEX || parent != null) {
                    throw ScimException.invalidFilter("a value filter needs a complex attribute: " + filter.getAttributePath());
                }
                params.add(target.jsonPath() + "[*]");
                return "exists (select 1 from jsonb_path_query(" + context + ", ?::jsonpath) e where jsonb_typeof(e) = 'object' and ("
                        + condition(filter.getValueFilter(), "e", target.definition()) + "))";
            }
            default -> {
                if (parent == null && isGroups(filter.getAttributePath())) {
                    return groupsLeaf(filter);
                }
                return leaf(filter, resolve(filter.getAttributePath(), parent), context);
            }
        }
    }

    /** The path names the user's {@code groups} (maybe core-qualified, maybe a sub-attribute). */
    private static boolean isGroups(Path path) {
        return path.size() >= 1 && path.getElement(0).getAttribute().equalsIgnoreCase("groups")
                && (path.getSchemaUrn() == null || path.getSchemaUrn().equalsIgnoreCase(dev.scimflow.scim.ScimSchemas.USER));
    }

    /** {@code groups pr}, {@code groups.value eq "id"}, {@code groups.display eq "name"}, and their {@code ne}. */
    private String groupsLeaf(Filter filter) {
        Path path = filter.getAttributePath();
        if (path.size() == 1 && filter.getFilterType() == FilterType.PRESENT) {
            return groupMembersWhere("true");
        }
        if (path.size() != 2 || path.getElement(0).getValueFilter() != null) {
            throw ScimException.invalidFilter("filter users by groups.value or groups.display, e.g. groups.value eq \"<group id>\"");
        }
        return groupMembers(filter, false);
    }

    /**
     * Users who are members of a group matching {@code filter} (on the group's value and display), directly or through
     * nesting. {@code inValueFilter}: the filter is the inside of {@code groups[...]}, naming value and display bare.
     */
    private String groupMembers(Filter filter, boolean inValueFilter) {
        if (filter.getFilterType() == FilterType.NOT_EQUAL) {
            return "not (" + groupMembersWhere(groupCondition(filter, inValueFilter, FilterType.EQUAL)) + ")";
        }
        return groupMembersWhere(groupCondition(filter, inValueFilter, filter.getFilterType()));
    }

    private String groupMembersWhere(String groupCondition) {
        // placeholders in order: the tenant, those of the group condition (already added), the tenant twice
        int conditionParams = countPlaceholders(groupCondition);
        params.add(params.size() - conditionParams, tenant);
        params.add(tenant);
        params.add(tenant);
        return GROUP_MEMBERS.formatted(groupCondition);
    }

    /** A condition on {@code scim.groups g}: the group's id ({@code value}) or displayName ({@code display}). */
    private String groupCondition(Filter filter, boolean inValueFilter, FilterType type) {
        switch (filter.getFilterType()) {
            case AND, OR -> {
                if (!inValueFilter) {
                    break;
                }
                List<String> parts = new ArrayList<>();
                for (Filter part : filter.getCombinedFilters()) {
                    parts.add("(" + groupCondition(part, true, part.getFilterType()) + ")");
                }
                return String.join(filter.getFilterType() == FilterType.AND ? " and " : " or ", parts);
            }
            case NOT -> {
                if (inValueFilter) {
                    Filter inner = filter.getInvertedFilter();
                    return "not (" + groupCondition(inner, true, inner.getFilterType()) + ")";
                }
            }
            default -> {
            }
        }
        Path path = filter.getAttributePath();
        if (path == null || (inValueFilter ? path.size() != 1 : path.size() != 2)) {
            throw ScimException.invalidFilter("a filter on groups names groups.value or groups.display");
        }
        String name = path.getElement(path.size() - 1).getAttribute();
        String column = switch (name.toLowerCase(Locale.ROOT)) {
            case "value" -> "g.id";
            case "display" -> "lower(g.display_name)";
            default -> throw ScimException.invalidFilter("a filter on groups names groups.value or groups.display, not " + name);
        };
        if (type == FilterType.PRESENT) {
            return "true";
        }
        ValueNode value = filter.getComparisonValue();
        if ((type != FilterType.EQUAL && type != FilterType.NOT_EQUAL) || value == null || !value.isString()) {
            throw ScimException.invalidFilter("groups." + name + " is compared with eq or ne and a string");
        }
        params.add(column.equals("g.id") ? value.stringValue() : value.stringValue().toLowerCase(Locale.ROOT));
        return type == FilterType.EQUAL ? column + " = ?" : column + " <> ?";
    }

    private String leaf(Filter filter, Target target, String context) {
        FilterType type = filter.getFilterType();
        ValueNode value = filter.isPresentFilter() ? null : filter.getComparisonValue();
        if (type == FilterType.PRESENT || (value != null && value.isNull())) {
            String present = present(target, context);
            return switch (type) {
                case PRESENT, NOT_EQUAL -> present;
                case EQUAL -> "not (" + present + ")";
                default -> throw ScimException.invalidFilter("null can only be compared with eq or ne");
            };
        }
        if (target.definition().getType() == Type.COMPLEX) {
            throw ScimException.invalidFilter("compare a sub-attribute of " + target.definition().getName() + ", not the attribute itself");
        }
        if (type == FilterType.NOT_EQUAL) {
            return "not (" + any(target, context, "=", value) + ")";
        }
        return any(target, context, operator(type), value);
    }

    /** True when some value of the attribute stands in this relation to the comparison value. */
    private String any(Target target, String context, String operator, ValueNode value) {
        if (isEmailValueEquality(target, operator, value)) {
            params.add(value.stringValue().toLowerCase(Locale.ROOT));
            return "email_values @> array[?]::text[]";
        }
        String comparison = comparison(target.definition(), operator, value);
        if (target.column() != null) {
            // never NULL, so that "not" of it is exact; written so that the column's index still serves it (a
            // coalesce around the comparison would hide it from the planner: a scan of every user of the tenant)
            String column = target.column().sql();
            return target.column().alwaysPresent()
                    ? "(" + comparison.replace("$v", column) + ")"
                    : "(" + comparison.replace("$v", column) + " and " + column + " is not null)";
        }
        int valueParams = params.size();
        params.add(valueParams - countPlaceholders(comparison), target.jsonPath());
        return "exists (select 1 from jsonb_path_query(" + context + ", ?::jsonpath) v where "
                + comparison.replace("$v", jsonValue(target.definition())) + ")";
    }

    private boolean isEmailValueEquality(Target target, String operator, ValueNode value) {
        return operator.equals("=") && target.jsonPath() != null && target.jsonPath().equals("$.\"emails\".\"value\"")
                && value.isString();
    }

    /** The condition on one value, written with {@code $v} for the value; adds its bind parameter. */
    private String comparison(AttributeDefinition definition, String operator, ValueNode value) {
        return switch (definition.getType()) {
            case BOOLEAN -> {
                if (!value.isBoolean() || !operator.equals("=")) {
                    throw ScimException.invalidFilter(definition.getName() + " is a boolean: compare it with eq or ne and true or false");
                }
                params.add(value.booleanValue());
                yield "$v = ?";
            }
            case DATETIME -> {
                if (!value.isString() || operator.startsWith("like")) {
                    throw ScimException.invalidFilter(
                            definition.getName() + " is a dateTime: compare it with eq, ne, gt, ge, lt or le and a dateTime");
                }
                params.add(dateTime(value.stringValue()));
                yield "$v " + operator + " ?";
            }
            case STRING, REFERENCE, BINARY -> {
                if (!value.isString()) {
                    throw ScimException.invalidFilter(definition.getName() + " is a string: compare it with a string");
                }
                boolean caseExact = definition.isCaseExact();
                String text = caseExact ? value.stringValue() : value.stringValue().toLowerCase(Locale.ROOT);
                String subject = caseExact ? "$v" : "lower($v)";
                if (operator.startsWith("like")) {
                    String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
                    params.add(switch (operator) {
                        case "like%%" -> "%" + escaped + "%";
                        case "like_%" -> escaped + "%";
                        default -> "%" + escaped;
                    });
                    yield subject + " like ? escape '\\'";
                }
                params.add(text);
                // equality keeps the column's collation so that the lower(user_name) index serves it;
                // ordering compares code points, as the SDK's in-memory evaluation does
                yield operator.equals("=") ? subject + " = ?" : subject + " collate \"C\" " + operator + " ?";
            }
            default -> throw ScimException.invalidFilter(definition.getName() + " cannot be filtered");
        };
    }

    private String present(Target target, String context) {
        if (target.column() != null) {
            return target.column().alwaysPresent() ? "true" : target.column().sql() + " is not null";
        }
        params.add(target.jsonPath());
        return "exists (select 1 from jsonb_path_query(" + context + ", ?::jsonpath) v where jsonb_typeof(v) <> 'null'"
                + " and v <> '[]'::jsonb)";
    }

    private static String jsonValue(AttributeDefinition definition) {
        return switch (definition.getType()) {
            case BOOLEAN -> "(case when jsonb_typeof(v) = 'boolean' then (v #>> '{}')::boolean end)";
            case DATETIME -> "(case when jsonb_typeof(v) = 'string' then (v #>> '{}')::timestamptz end)";
            default -> "(case when jsonb_typeof(v) = 'string' then v #>> '{}' end)";
        };
    }

    private static String operator(FilterType type) {
        return switch (type) {
            case EQUAL -> "=";
            case GREATER_THAN -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LESS_THAN -> "<";
            case LESS_OR_EQUAL -> "<=";
            case CONTAINS -> "like%%";
            case STARTS_WITH -> "like_%";
            case ENDS_WITH -> "like%_";
            default -> throw ScimException.invalidFilter("unsupported filter operator " + type);
        };
    }

    /** Resolves a path against the User schemas (or, inside a value filter, the parent's sub-attributes). */
    private Target resolve(Path path, AttributeDefinition parent) {
        if (parent != null) {
            if (path.getSchemaUrn() != null || path.size() != 1) {
                throw ScimException.invalidFilter("inside a value filter, name a sub-attribute of " + parent.getName());
            }
            AttributeDefinition sub = subAttribute(parent, path.getElement(0).getAttribute(), path);
            return new Target(sub, null, "$." + quoted(sub.getName()));
        }
        if (path.size() < 1 || path.size() > 2 || path.getElement(path.size() - 1).getValueFilter() != null
                || path.getElement(0).getValueFilter() != null) {
            throw ScimException.invalidFilter("not a filterable attribute path: " + path);
        }
        AttributeDefinition attribute = UserSchema.lookup(path.getSchemaUrn(), path.getElement(0).getAttribute())
                .orElseThrow(() -> ScimException.invalidFilter("unknown attribute: " + path));
        AttributeDefinition definition = path.size() == 1 ? attribute : subAttribute(attribute, path.getElement(1).getAttribute(), path);
        String key = (path.size() == 1 ? attribute.getName() : attribute.getName() + "." + definition.getName()).toLowerCase(Locale.ROOT);
        boolean enterprise = UserSchema.isEnterprise(path.getSchemaUrn());
        Column column = enterprise ? null : COLUMNS.get(key);
        if (column == null && !enterprise && attribute.getName().equals("meta")) {
            throw ScimException.invalidFilter("meta can be filtered by created and lastModified only");
        }
        StringBuilder jsonPath = new StringBuilder("$");
        if (enterprise) {
            jsonPath.append('.').append(quoted(dev.scimflow.scim.ScimSchemas.ENTERPRISE_USER));
        }
        jsonPath.append('.').append(quoted(attribute.getName()));
        if (path.size() == 2) {
            jsonPath.append('.').append(quoted(definition.getName()));
        }
        return new Target(definition, column, column == null ? jsonPath.toString() : null);
    }

    private static AttributeDefinition subAttribute(AttributeDefinition parent, String name, Path path) {
        if (parent.getSubAttributes() != null) {
            for (AttributeDefinition sub : parent.getSubAttributes()) {
                if (sub.getName().equalsIgnoreCase(name)) {
                    return sub;
                }
            }
        }
        throw ScimException.invalidFilter("unknown attribute: " + path);
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Years 1 to 9999, as xsd:dateTime writes them: anything else would be out of PostgreSQL's range (a 500). */
    static Timestamp dateTime(String text) {
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text);
            if (parsed.getYear() < 1 || parsed.getYear() > 9999) {
                throw ScimException.invalidFilter("a dateTime between the years 1 and 9999, not " + text);
            }
            return Timestamp.from(parsed.toInstant());
        } catch (DateTimeParseException e) {
            throw ScimException.invalidFilter("not a dateTime: " + text);
        }
    }

    private static int countPlaceholders(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }
}
