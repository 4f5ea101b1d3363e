package dev.scimflow.worker;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.scim.GroupPatch;
import dev.scimflow.scim.GroupWrite;
import dev.scimflow.scim.MemberType;
import dev.scimflow.scim.MembershipChange;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimGroups;
import dev.scimflow.store.GroupMember;
import dev.scimflow.store.Groups;
import dev.scimflow.store.StoredGroup;
import tools.jackson.databind.node.ObjectNode;

/**
 * The four SCIM writes on a group, applied against its current state inside the caller's transaction. The
 * group's own attributes are a document like a user's; its membership is changed row by row for exactly the
 * members a change names, so adding one member (a user, or a group nested in it) to a group of 100,000 reads and
 * writes one membership row, one group row and one event. Members must be users or groups of the tenant, of the
 * type the client gave, and a group may not contain itself at any depth (400 invalidValue otherwise), checked here
 * against the store in the batch's transaction. A SCIM error becomes a failed outcome, recorded like a success.
 */
@Component
class ApplyGroupChange {

    private final Groups groups;

    ApplyGroupChange(Groups groups) {
        this.groups = groups;
    }

    /** Applies a change to a group; the batch's user writes must have been flushed (members are checked in the store). */
    ChangeOutcome apply(ScimChange change, OutboxEvents facts) {
        try {
            return switch (change.operation()) {
                case CREATE -> create(change, facts);
                case REPLACE, PATCH -> update(change, facts);
                case DELETE -> delete(change, facts);
            };
        } catch (ScimException e) {
            return ChangeOutcome.failure(change, e.status(), e.scimType(), e.detail());
        }
    }

    private ChangeOutcome create(ScimChange change, OutboxEvents facts) {
        GroupWrite write = ScimGroups.validateForWrite(change.body());
        if (groups.find(change.tenant(), change.resourceId()).isPresent()) {
            throw ScimException.uniqueness("a group with id " + change.resourceId() + " already exists");
        }
        requireUniqueDisplayName(change, write.document());
        Members members = requireMembers(change, write.memberIds(), write.declaredTypes(),
                memberTypesBeforeLocking(change, write.memberIds()));
        StoredGroup group = new StoredGroup(change.tenant(), change.resourceId(), write.document(), write.memberIds().size(), 1,
                change.acceptedAt(), change.acceptedAt());
        groups.insert(group);
        groups.addMembers(change.tenant(), group.id(), members.users(write.memberIds()));
        groups.addMemberGroups(change.tenant(), group.id(), members.groups(write.memberIds()));
        OutboxEvents.GroupEvents groupFacts = facts.group(change, group.id(), group.version());
        groupFacts.created(group.toResource(null), members.users(write.memberIds()));
        groupFacts.members(EventType.MEMBERS_ADDED, members.groups(write.memberIds()), ResourceType.GROUP);
        return ChangeOutcome.success(change, 201, group.version(), resource(group));
    }

    /** PUT replaces the attributes and the whole member list; PATCH changes what its operations name. */
    private ChangeOutcome update(ScimChange change, OutboxEvents facts) {
        GroupWrite write = null;
        GroupPatch patch = null;
        List<String> addedIds;
        Map<String, MemberType> declared;
        if (change.operation() == ChangeOperation.REPLACE) {
            write = ScimGroups.validateForWrite(change.body());
            addedIds = write.memberIds();
            declared = write.declaredTypes();
        } else {
            patch = GroupPatch.parse(change.body());
            addedIds = patch.addedMemberIds();
            declared = patch.declaredMemberTypes();
        }
        Map<String, MemberType> types = memberTypesBeforeLocking(change, addedIds);
        StoredGroup current = lockExisting(change);
        ObjectNode document;
        List<MembershipChange> memberships;
        if (write != null) {
            document = write.document();
            memberships = List.of(write.memberIds().isEmpty()
                    ? new MembershipChange.RemoveAll()
                    : new MembershipChange.Replace(write.memberIds()));
        } else {
            document = patch.applyTo(current.document());
            memberships = patch.membershipChanges();
        }
        Members members = requireMembers(change, addedIds, declared, types);
        boolean attributesChanged = !document.equals(current.document());
        if (attributesChanged) {
            requireUniqueDisplayName(change, document);
        }
        // Every check is done: from here on rows change, and facts are written as they do, at the version this
        // change gives the group (written only if it changes something, so the version is then really taken).
        StoredGroup withAttributes = current.next(document, current.memberCount(), change.acceptedAt());
        OutboxEvents.GroupEvents groupFacts = facts.group(change, current.id(), withAttributes.version());
        if (attributesChanged) {
            groupFacts.attributes(attributeEvent(change, current, withAttributes), current.toResource(null),
                    withAttributes.toResource(null));
        }
        MembershipUpdate membership = new MembershipUpdate(change, current.id(), groupFacts, members);
        memberships.forEach(membership::apply);
        if (!attributesChanged && membership.rowsChanged == 0) {
            return ChangeOutcome.success(change, 200, current.version(), resource(current));
        }
        StoredGroup next = current.next(document, current.memberCount() + membership.countChange, change.acceptedAt());
        groups.update(next);
        return ChangeOutcome.success(change, 200, next.version(), resource(next));
    }

    /**
     * A deleted group leaves every group it was nested in, in the same transaction, each parent's version bumped, with a
     * MEMBERS_REMOVED fact per parent. The parents are locked before the group, parent before member as everywhere.
     */
    private ChangeOutcome delete(ScimChange change, OutboxEvents facts) {
        groups.lockParentsOf(change.tenant(), change.resourceId());
        StoredGroup current = lockExisting(change);
        for (Groups.GroupVersion parent : groups.removeFromAllParents(change.tenant(), change.resourceId(), change.acceptedAt())) {
            facts.group(change, parent.groupId(), parent.version())
                    .members(EventType.MEMBERS_REMOVED, List.of(change.resourceId()), ResourceType.GROUP);
        }
        groups.delete(change.tenant(), change.resourceId());
        facts.group(change, current.id(), current.version()).attributes(EventType.DELETED, current.toResource(null), null);
        return ChangeOutcome.success(change, 204, current.version(), null);
    }

    /** RENAMED when the displayName changed; otherwise the operation's own fact, as for users. */
    private static EventType attributeEvent(ScimChange change, StoredGroup before, StoredGroup after) {
        if (!before.displayName().equals(after.displayName())) {
            return EventType.RENAMED;
        }
        return change.operation() == ChangeOperation.REPLACE ? EventType.REPLACED : EventType.PATCHED;
    }

    /** The resource for the outcome: with members when the group is small enough to list them in a response. */
    private ObjectNode resource(StoredGroup group) {
        ObjectNode resource = group.toResource(null);
        if (group.memberCount() > ScimGroups.MAX_INLINE_MEMBERS) {
            return resource;
        }
        List<ObjectNode> members = groups.members(group.tenant(), group.id(), null, ScimGroups.MAX_INLINE_MEMBERS).stream()
                .map((GroupMember member) -> ScimGroups.member(member.id(), member.display(), null, member.type())).toList();
        return ScimGroups.withMembers(resource, members);
    }

    private StoredGroup lockExisting(ScimChange change) {
        StoredGroup current = groups.lock(change.tenant(), change.resourceId())
                .orElseThrow(() -> ScimException.notFound("Group " + change.resourceId() + " not found"));
        if (change.ifMatch() != null && !ScimGroups.ifMatchSatisfied(change.ifMatch(), current.version())) {
            throw ScimException.preconditionFailed("the group is at version " + ScimGroups.etag(current.version()));
        }
        return current;
    }

    private void requireUniqueDisplayName(ScimChange change, ObjectNode document) {
        if (groups.displayNameTaken(change.tenant(), ScimGroups.displayName(document), change.resourceId())) {
            throw ScimException.uniqueness("displayName " + ScimGroups.displayName(document) + " is already taken");
        }
    }

    /**
     * What each id a change adds is, a user or a group of the tenant (absent: neither). When some are groups, the
     * tenant's nesting lock is taken here, before the change locks its group's row: a change holding its group's row
     * while it waited for the nesting lock could deadlock with a nesting change that holds the lock and needs that
     * row (the foreign key check of a new nesting row locks the member group's row). Earlier changes of the same batch
     * may already hold other groups' rows; a deadlock that leaves possible is detected by PostgreSQL and the whole batch
     * retried as a transient failure ({@link ChangeErrorHandling}), so it costs time, never a change.
     */
    private Map<String, MemberType> memberTypesBeforeLocking(ScimChange change, List<String> memberIds) {
        Map<String, MemberType> types = groups.memberTypes(change.tenant(), memberIds);
        if (types.containsValue(MemberType.GROUP)) {
            // serializes the tenant's nesting changes until commit, so that two of them cannot each pass the cycle
            // check alone (A into B, B into A) and together make a cycle
            groups.lockNesting(change.tenant());
        }
        return types;
    }

    /**
     * The members a change adds, each a user or group of the tenant ({@code types}) of the type the client gave (when
     * it gave one); the groups among them must not be this group or any group it is nested in (checked under the
     * nesting lock {@link #memberTypesBeforeLocking} took).
     */
    private Members requireMembers(ScimChange change, List<String> memberIds, Map<String, MemberType> declared,
                                   Map<String, MemberType> types) {
        List<String> unknown = memberIds.stream().filter(id -> !types.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw ScimException.invalidValue("members must be users or groups of this tenant; no such user or group: "
                    + String.join(", ", unknown.subList(0, Math.min(unknown.size(), 10)))
                    + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : ""));
        }
        declared.forEach((id, type) -> {
            if (types.containsKey(id) && types.get(id) != type) {
                throw ScimException.invalidValue("member " + id + " is a " + types.get(id).scimName() + ", not a " + type.scimName());
            }
        });
        Members members = new Members(types);
        List<String> nested = members.groups(memberIds);
        if (!nested.isEmpty()) {
            List<String> cycles = groups.groupAndAncestorsAmong(change.tenant(), change.resourceId(), nested);
            if (!cycles.isEmpty()) {
                throw ScimException.invalidValue("a group cannot contain itself at any depth: " + String.join(", ", cycles)
                        + " is this group or contains it");
            }
        }
        return members;
    }

    /** What each member id of a change is, so that user and group memberships go to their own rows. */
    private record Members(Map<String, MemberType> types) {

        List<String> users(List<String> ids) {
            return ids.stream().filter(id -> types.get(id) != MemberType.GROUP).toList();
        }

        List<String> groups(List<String> ids) {
            return ids.stream().filter(id -> types.get(id) == MemberType.GROUP).toList();
        }
    }

    /** Membership changes applied to the rows one after the other, with their facts, counting what changed. */
    private final class MembershipUpdate {

        private final ScimChange change;
        private final String groupId;
        private final OutboxEvents.GroupEvents groupFacts;
        private final Members members;
        long rowsChanged;
        long countChange;

        MembershipUpdate(ScimChange change, String groupId, OutboxEvents.GroupEvents groupFacts, Members members) {
            this.change = change;
            this.groupId = groupId;
            this.groupFacts = groupFacts;
            this.members = members;
        }

        /** Users and nested groups each in their own rows; a removal by id looks in both (ids are unique across them). */
        void apply(MembershipChange membership) {
            if (membership instanceof MembershipChange.Add add) {
                add(add.memberIds());
            } else if (membership instanceof MembershipChange.Remove remove) {
                removed(groups.removeMembers(change.tenant(), groupId, remove.memberIds()), ResourceType.USER);
                removed(groups.removeMemberGroups(change.tenant(), groupId, remove.memberIds()), ResourceType.GROUP);
            } else if (membership instanceof MembershipChange.Replace replace) {
                removeAllExcept(replace.memberIds());
                add(replace.memberIds());
            } else {
                removeAllExcept(List.of());
            }
        }

        private void add(List<String> ids) {
            added(groups.addMembers(change.tenant(), groupId, members.users(ids)), ResourceType.USER);
            added(groups.addMemberGroups(change.tenant(), groupId, members.groups(ids)), ResourceType.GROUP);
        }

        /** The diff of a replace, computed in SQL a chunk at a time: members not kept leave, newcomers join. */
        private void removeAllExcept(List<String> keep) {
            List<String> chunk;
            do {
                chunk = groups.removeMembersExcept(change.tenant(), groupId, keep, ScimEvent.MAX_MEMBERS);
                removed(chunk, ResourceType.USER);
            } while (chunk.size() == ScimEvent.MAX_MEMBERS);
            do {
                chunk = groups.removeMemberGroupsExcept(change.tenant(), groupId, keep, ScimEvent.MAX_MEMBERS);
                removed(chunk, ResourceType.GROUP);
            } while (chunk.size() == ScimEvent.MAX_MEMBERS);
        }

        private void added(List<String> ids, ResourceType memberType) {
            groupFacts.members(EventType.MEMBERS_ADDED, ids, memberType);
            rowsChanged += ids.size();
            countChange += ids.size();
        }

        private void removed(List<String> ids, ResourceType memberType) {
            groupFacts.members(EventType.MEMBERS_REMOVED, ids, memberType);
            rowsChanged += ids.size();
            countChange -= ids.size();
        }
    }
}
