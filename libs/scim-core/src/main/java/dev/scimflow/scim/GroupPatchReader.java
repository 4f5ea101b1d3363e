package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.messages.PatchOpType;

import tools.jackson.databind.JsonNode;

/**
 * Reads one entry of a Group PATCH "Operations" array into attribute changes and membership changes.
 * Handles every form SCIM-INTEROP lists: {@code add}/{@code replace}/{@code remove} with path
 * {@code members} and a list, {@code remove} with {@code members[value eq "id"]}, and path-less values such as
 * Okta's rename {@code {"id":..., "displayName":...}} or {@code {"members":[...]}}.
 */
final class GroupPatchReader {

    /** Keys IdPs echo inside path-less values (Okta sends id on rename) that the server owns. */
    private static final Set<String> SERVER_OWNED_KEYS = Set.of("id", "meta", "schemas");

    private final List<GroupPatch.AttributeChange> attributes;
    private final List<MembershipChange> memberships;
    private final Map<String, MemberType> declaredTypes;

    GroupPatchReader(List<GroupPatch.AttributeChange> attributes, List<MembershipChange> memberships,
                     Map<String, MemberType> declaredTypes) {
        this.attributes = attributes;
        this.memberships = memberships;
        this.declaredTypes = declaredTypes;
    }

    void read(JsonNode operation, int index) {
        if (!operation.isObject()) {
            throw ScimException.invalidSyntax("Operations[" + index + "] must be an object");
        }
        PatchOpType type = PatchRequests.type(JsonFields.get(operation, "op"), index);
        String path = PatchRequests.path(operation, index);
        JsonNode value = JsonFields.get(operation, "value");
        if (!path.isEmpty()) {
            AttributePath target = GroupAttributes.path(path);
            if (target.readOnly()) {
                throw ScimException.mutability("'" + target.attribute().getName() + "' is read-only");
            }
            step(type, target, value);
            return;
        }
        if (type == PatchOpType.REMOVE) {
            throw ScimException.noTarget("Operations[" + index + "]: remove needs a path");
        }
        if (value == null || !value.isObject()) {
            throw ScimException.invalidSyntax("Operations[" + index + "]: " + type + " without a path needs an object value");
        }
        expand(type, value);
    }

    private void expand(PatchOpType type, JsonNode value) {
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String key = field.getKey();
            if (SERVER_OWNED_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (key.equalsIgnoreCase(ScimSchemas.GROUP) && field.getValue().isObject()) {
                expand(type, field.getValue());
                continue;
            }
            AttributePath target = GroupAttributes.path(key);
            if (!target.readOnly()) {
                step(type, target, field.getValue());
            }
        }
    }

    private void step(PatchOpType type, AttributePath target, JsonNode value) {
        if (target.attribute().getName().equals("members")) {
            members(type, target, value);
            return;
        }
        String name = target.attribute().getName();
        if (type == PatchOpType.REMOVE) {
            attributes.add(new GroupPatch.AttributeChange(name, null));
            return;
        }
        JsonNode canonical = target.canonicalValue(value);
        if (canonical != null || type == PatchOpType.REPLACE) {
            attributes.add(new GroupPatch.AttributeChange(name, canonical));
        }
    }

    private void members(PatchOpType type, AttributePath target, JsonNode value) {
        if (target.subAttribute() != null) {
            throw ScimException.invalidPath("members are changed as whole values: use path 'members' or 'members[value eq \"id\"]'");
        }
        if (target.filter() != null) {
            if (type != PatchOpType.REMOVE) {
                throw ScimException.invalidPath("a value filter on members selects members to remove; add and replace take path 'members'");
            }
            memberships.add(new MembershipChange.Remove(List.copyOf(selectedIds(target.filter(), new LinkedHashSet<>()))));
            return;
        }
        if (type == PatchOpType.REMOVE && (AttributeValues.absent(value) || (value.isString() && value.asString().isEmpty()))) {
            // no value, or the empty string SAP's SCIMono sends: remove path members without values removes them all
            memberships.add(new MembershipChange.RemoveAll());
            return;
        }
        // a type sent with a member to remove is only a hint: removal takes the id out whatever it is
        List<String> ids = type == PatchOpType.REMOVE
                ? MemberValues.ids(value, "members")
                : MemberValues.ids(value, "members", declaredTypes);
        switch (type) {
            case ADD -> {
                if (!ids.isEmpty()) {
                    memberships.add(new MembershipChange.Add(ids));
                }
            }
            case REPLACE -> memberships.add(ids.isEmpty() ? new MembershipChange.RemoveAll() : new MembershipChange.Replace(ids));
            case REMOVE -> memberships.add(new MembershipChange.Remove(ids));
        }
    }

    /** The ids a members value filter names: {@code value eq "id"}, or several of them joined by {@code or}. */
    private static Set<String> selectedIds(Filter filter, Set<String> ids) {
        if (filter.getFilterType() == FilterType.OR) {
            filter.getCombinedFilters().forEach(part -> selectedIds(part, ids));
            return ids;
        }
        if (filter.getFilterType() == FilterType.EQUAL && isValue(filter.getAttributePath())
                && filter.getComparisonValue() != null && filter.getComparisonValue().isString()) {
            ids.add(filter.getComparisonValue().stringValue());
            return ids;
        }
        throw new ScimException(400, "invalidFilter",
                "members are selected by id: members[value eq \"id\"], optionally several joined by or; not " + filter);
    }

    private static boolean isValue(Path path) {
        return path.size() == 1 && path.getElement(0).getAttribute().equalsIgnoreCase("value")
                && path.getElement(0).getValueFilter() == null;
    }

    static int memberValueCount(List<MembershipChange> changes) {
        int count = 0;
        for (MembershipChange change : changes) {
            if (change instanceof MembershipChange.Add add) {
                count += add.memberIds().size();
            } else if (change instanceof MembershipChange.Remove remove) {
                count += remove.memberIds().size();
            } else if (change instanceof MembershipChange.Replace replace) {
                count += replace.memberIds().size();
            }
        }
        return count;
    }

    static List<String> addedIds(List<MembershipChange> changes) {
        Set<String> ids = new LinkedHashSet<>();
        for (MembershipChange change : changes) {
            if (change instanceof MembershipChange.Add add) {
                ids.addAll(add.memberIds());
            } else if (change instanceof MembershipChange.Replace replace) {
                ids.addAll(replace.memberIds());
            }
        }
        return new ArrayList<>(ids);
    }
}
