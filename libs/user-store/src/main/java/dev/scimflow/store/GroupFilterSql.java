package dev.scimflow.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;

import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import tools.jackson.databind.node.ValueNode;

/**
 * Translates a SCIM filter into a parameterized SQL condition over {@code scim.groups g}. The group's own
 * attributes are indexed columns; {@code members} is an {@code exists} over the membership rows (users' and nested
 * groups'), so that {@code members[value eq "id"]} (which groups is this user or group directly in?) is an index
 * lookup however large the groups.
 * displayName compares case-insensitively (caseExact false); ids and externalId exactly. Values are always
 * bind parameters.
 */
final class GroupFilterSql {

    private enum Kind {
        TEXT, DATETIME
    }

    private record Column(String sql, Kind kind, boolean caseExact) {
    }

    private static final Map<String, Column> COLUMNS = Map.of(
            "id", new Column("g.id", Kind.TEXT, true),
            "displayname", new Column("g.display_name", Kind.TEXT, false),
            "externalid", new Column("g.external_id", Kind.TEXT, true),
            "meta.created", new Column("g.created_at", Kind.DATETIME, false),
            "meta.lastmodified", new Column("g.last_modified", Kind.DATETIME, false));

    /** The only sub-attribute of members that a filter can reach: the member's id (a user's or a nested group's). */
    private static final Column MEMBER_VALUE = new Column("m.member_id", Kind.TEXT, true);

    /** Some member satisfies the condition: a user member, or a nested group; each an index lookup. */
    private static final String USER_MEMBERS = "exists (select 1 from (select m.user_id as member_id from scim.group_members m"
            + " where m.tenant_id = g.tenant_id and m.group_id = g.id) m where (%s))";
    private static final String GROUP_MEMBERS = "exists (select 1 from (select n.member_group_id as member_id from scim.group_member_groups n"
            + " where n.tenant_id = g.tenant_id and n.group_id = g.id) m where (%s))";

    private final List<Object> params = new ArrayList<>();

    private GroupFilterSql() {
    }

    static SqlCondition toSql(Filter filter) {
        GroupFilterSql translation = new GroupFilterSql();
        return new SqlCondition(translation.condition(filter, false), translation.params);
    }

    /** The ORDER BY expression for a sortBy attribute (displayName lower-cased, as it compares). */
    static String sortKey(String sortBy) {
        Column column = COLUMNS.get(name(sortBy));
        if (column == null) {
            throw ScimException.invalidValue("groups can be sorted by id, displayName, externalId, meta.created"
                    + " or meta.lastModified, not " + sortBy);
        }
        return column.caseExact() || column.kind() != Kind.TEXT ? column.sql() : "lower(" + column.sql() + ")";
    }

    /** {@code inMember} is true inside {@code members[...]}, where attributes are the member's. */
    private String condition(Filter filter, boolean inMember) {
        FilterType type = filter.getFilterType();
        switch (type) {
            case AND, OR -> {
                List<String> parts = new ArrayList<>();
                for (Filter part : filter.getCombinedFilters()) {
                    parts.add("(" + condition(part, inMember) + ")");
                }
                return String.join(type == FilterType.AND ? " and " : " or ", parts);
            }
            case NOT -> {
                return "not (" + condition(filter.getInvertedFilter(), inMember) + ")";
            }
            case COMPLEX_VALUE -> {
                if (inMember || !name(filter.getAttributePath()).equals("members")) {
                    throw ScimException.invalidFilter("only members takes a value filter: members[value eq \"id\"]");
                }
                return anyMember(() -> condition(filter.getValueFilter(), true));
            }
            default -> {
                String name = name(filter.getAttributePath());
                if (inMember) {
                    return leaf(filter, memberColumn(name));
                }
                if (name.equals("members") || name.equals("members.value")) {
                    return members(filter, name);
                }
                Column column = COLUMNS.get(name);
                if (column == null) {
                    throw ScimException.invalidFilter("unknown or unfilterable Group attribute: " + filter.getAttributePath());
                }
                return leaf(filter, column);
            }
        }
    }

    /** {@code members pr}, {@code members.value op "x"}: some member satisfies it ({@code ne}: none equals it). */
    private String members(Filter filter, String name) {
        if (filter.getFilterType() == FilterType.PRESENT) {
            return anyMember(() -> "true");
        }
        if (name.equals("members")) {
            throw ScimException.invalidFilter("compare members.value, or use members[value eq \"id\"]");
        }
        if (filter.getFilterType() == FilterType.NOT_EQUAL) {
            return "not " + anyMember(() -> comparison(MEMBER_VALUE, "=", filter.getComparisonValue()));
        }
        return anyMember(() -> leaf(filter, MEMBER_VALUE));
    }

    /**
     * A user member or a nested group satisfies the condition. It is built once per kind, in the order the SQL names
     * them, so that each gets its own bind parameters.
     */
    private String anyMember(java.util.function.Supplier<String> condition) {
        String users = USER_MEMBERS.formatted(condition.get());
        String groups = GROUP_MEMBERS.formatted(condition.get());
        return "(" + users + " or " + groups + ")";
    }

    private static Column memberColumn(String name) {
        if (!name.equals("value")) {
            throw ScimException.invalidFilter("members are filtered by value (the user's or group's id), not " + name);
        }
        return MEMBER_VALUE;
    }

    private String leaf(Filter filter, Column column) {
        FilterType type = filter.getFilterType();
        if (type == FilterType.PRESENT) {
            return column.kind() == Kind.TEXT ? "coalesce(" + column.sql() + ", '') <> ''" : column.sql() + " is not null";
        }
        ValueNode value = filter.getComparisonValue();
        if (value == null || value.isNull()) {
            return switch (type) {
                case EQUAL -> column.sql() + " is null";
                case NOT_EQUAL -> column.sql() + " is not null";
                default -> throw ScimException.invalidFilter("null can only be compared with eq or ne");
            };
        }
        if (type == FilterType.NOT_EQUAL) {
            return "not coalesce(" + comparison(column, "=", value) + ", false)";
        }
        String operator = switch (type) {
            case EQUAL -> "=";
            case GREATER_THAN -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LESS_THAN -> "<";
            case LESS_OR_EQUAL -> "<=";
            case CONTAINS -> "co";
            case STARTS_WITH -> "sw";
            case ENDS_WITH -> "ew";
            default -> throw ScimException.invalidFilter("unsupported filter operator " + type);
        };
        return comparison(column, operator, value);
    }

    private String comparison(Column column, String operator, ValueNode value) {
        if (column.kind() == Kind.DATETIME) {
            if (!value.isString() || isTextMatch(operator)) {
                throw ScimException.invalidFilter("a dateTime is compared with eq, ne, gt, ge, lt or le and a dateTime string");
            }
            params.add(UserFilterSql.dateTime(value.stringValue()));
            return column.sql() + " " + operator + " ?";
        }
        if (!value.isString()) {
            throw ScimException.invalidFilter("a string attribute is compared with a string value");
        }
        String subject = column.caseExact() ? column.sql() : "lower(" + column.sql() + ")";
        String text = column.caseExact() ? value.stringValue() : value.stringValue().toLowerCase(Locale.ROOT);
        if (isTextMatch(operator)) {
            String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            params.add(switch (operator) {
                case "co" -> "%" + escaped + "%";
                case "sw" -> escaped + "%";
                default -> "%" + escaped;
            });
            return subject + " like ? escape '\\'";
        }
        params.add(text);
        return subject + " " + operator + " ?";
    }

    private static boolean isTextMatch(String operator) {
        return operator.equals("co") || operator.equals("sw") || operator.equals("ew");
    }

    /** The attribute's dotted name, lower-cased, without the Group URN. */
    private static String name(Path path) {
        String urn = path.getSchemaUrn();
        if (urn != null && !urn.equalsIgnoreCase(ScimSchemas.GROUP)) {
            throw ScimException.invalidFilter("Groups have no attributes in " + urn);
        }
        StringBuilder name = new StringBuilder();
        for (Path.Element element : path) {
            if (element.getValueFilter() != null && !name.isEmpty()) {
                throw ScimException.invalidFilter("a value filter applies to members only");
            }
            name.append(name.isEmpty() ? "" : ".").append(element.getAttribute().toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    private static String name(String sortBy) {
        try {
            return name(Path.fromString(sortBy));
        } catch (com.unboundid.scim2.common.exceptions.BadRequestException | RuntimeException e) {
            throw ScimException.invalidValue("sortBy is not an attribute path: " + sortBy);
        }
    }
}
