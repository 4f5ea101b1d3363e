package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed, validated PATCH request (RFC 7644 §3.5.2) for a Group. It splits into changes of the group's
 * own attributes (displayName, externalId), applied to the stored document, and {@link MembershipChange}s,
 * which the worker applies to the membership rows in order. Parsing resolves every path, so an invalid
 * request fails at the ingress before anything is applied.
 */
public final class GroupPatch {

    /** More operations than this in one request is refused (tooMany). */
    public static final int MAX_OPERATIONS = 1000;

    /** Set an attribute of the group itself; a null value removes it. */
    record AttributeChange(String attribute, JsonNode value) {
    }

    private final List<AttributeChange> attributeChanges;
    private final List<MembershipChange> membershipChanges;
    private final Map<String, MemberType> declaredTypes;
    private final int operationCount;

    private GroupPatch(List<AttributeChange> attributeChanges, List<MembershipChange> membershipChanges,
                       Map<String, MemberType> declaredTypes, int operationCount) {
        this.attributeChanges = List.copyOf(attributeChanges);
        this.membershipChanges = List.copyOf(membershipChanges);
        this.declaredTypes = Map.copyOf(declaredTypes);
        this.operationCount = operationCount;
    }

    public static GroupPatch parse(JsonNode body) {
        JsonNode operations = PatchRequests.operations(body, MAX_OPERATIONS);
        List<AttributeChange> attributes = new ArrayList<>();
        List<MembershipChange> memberships = new ArrayList<>();
        Map<String, MemberType> declaredTypes = new LinkedHashMap<>();
        GroupPatchReader reader = new GroupPatchReader(attributes, memberships, declaredTypes);
        for (int i = 0; i < operations.size(); i++) {
            reader.read(operations.get(i), i);
        }
        if (GroupPatchReader.memberValueCount(memberships) > ScimGroups.MAX_MEMBERS_PER_REQUEST) {
            throw ScimGroups.tooManyMembers();
        }
        return new GroupPatch(attributes, memberships, declaredTypes, operations.size());
    }

    /** The new stored document after the attribute changes; the input is never modified. */
    public ObjectNode applyTo(JsonNode storedDocument) {
        if (storedDocument == null || !storedDocument.isObject()) {
            throw new IllegalArgumentException("A stored Group document is a JSON object");
        }
        ObjectNode working = (ObjectNode) storedDocument.deepCopy();
        for (AttributeChange change : attributeChanges) {
            if (change.value() == null) {
                working.remove(change.attribute());
            } else {
                working.set(change.attribute(), change.value());
            }
        }
        return GroupDocument.revalidate(working);
    }

    /** The membership changes, in the order the request made them. */
    public List<MembershipChange> membershipChanges() {
        return membershipChanges;
    }

    /** Every member id an add or replace names: the worker checks that each is a user or group of the tenant. */
    public List<String> addedMemberIds() {
        return GroupPatchReader.addedIds(membershipChanges);
    }

    /** The type the request gave members it adds ({@code "type": "Group"}), by id; members without one are absent. */
    public Map<String, MemberType> declaredMemberTypes() {
        return declaredTypes;
    }

    /** How many member values the request names, over all its operations (for per-request limits). */
    public int memberValueCount() {
        return GroupPatchReader.memberValueCount(membershipChanges);
    }

    /** How many operations the request held, as sent. */
    public int operationCount() {
        return operationCount;
    }
}
