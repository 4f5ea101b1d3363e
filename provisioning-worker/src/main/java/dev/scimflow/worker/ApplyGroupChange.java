package dev.scimflow.worker;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.scim.GroupPatch;
import dev.scimflow.scim.GroupWrite;
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
 * users a change names, so adding one member to a group of 100,000 reads and writes one membership row, one
 * group row and one event. Members must be users of the tenant (400 invalidValue otherwise), checked here
 * against the store in the batch's transaction. A SCIM error becomes a failed outcome, recorded like a success.
 */
@Component
class ApplyGroupChange {

    private final Groups groups;

    ApplyGroupChange(Groups groups) {
        this.groups = groups;
    }

    /** Applies a change to a group; the batch's user writes must have been flushed (members are checked in the store). */
    ChangeOutcome apply(ScimChange change, Facts facts) {
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

    private ChangeOutcome create(ScimChange change, Facts facts) {
        GroupWrite write = ScimGroups.validateForWrite(change.body());
        if (groups.find(change.tenant(), change.resourceId()).isPresent()) {
            throw ScimException.uniqueness("a group with id " + change.resourceId() + " already exists");
        }
        requireUniqueDisplayName(change, write.document());
        requireUsers(change, write.memberIds());
        StoredGroup group = new StoredGroup(change.tenant(), change.resourceId(), write.document(), write.memberIds().size(), 1,
                change.acceptedAt(), change.acceptedAt());
        groups.insert(group);
        groups.addMembers(change.tenant(), group.id(), write.memberIds());
        facts.group(change, group.id(), group.version()).created(group.toResource(null), write.memberIds());
        return ChangeOutcome.success(change, 201, group.version(), resource(group));
    }

    /** PUT replaces the attributes and the whole member list; PATCH changes what its operations name. */
    private ChangeOutcome update(ScimChange change, Facts facts) {
        StoredGroup current = lockExisting(change);
        ObjectNode document;
        List<MembershipChange> memberships;
        if (change.operation() == ChangeOperation.REPLACE) {
            GroupWrite write = ScimGroups.validateForWrite(change.body());
            document = write.document();
            memberships = List.of(write.memberIds().isEmpty()
                    ? new MembershipChange.RemoveAll() : new MembershipChange.Replace(write.memberIds()));
            requireUsers(change, write.memberIds());
        } else {
            GroupPatch patch = GroupPatch.parse(change.body());
            document = patch.applyTo(current.document());
            memberships = patch.membershipChanges();
            requireUsers(change, patch.addedMemberIds());
        }
        boolean attributesChanged = !document.equals(current.document());
        if (attributesChanged) {
            requireUniqueDisplayName(change, document);
        }
        // Every check is done: from here on rows change, and facts are written as they do, at the version this
        // change gives the group (written only if it changes something, so the version is then really taken).
        StoredGroup withAttributes = current.next(document, current.memberCount(), change.acceptedAt());
        Facts.GroupFacts groupFacts = facts.group(change, current.id(), withAttributes.version());
        if (attributesChanged) {
            groupFacts.attributes(attributeEvent(change, current, withAttributes), current.toResource(null),
                    withAttributes.toResource(null));
        }
        MembershipUpdate membership = new MembershipUpdate(change, current.id(), groupFacts);
        memberships.forEach(membership::apply);
        if (!attributesChanged && membership.rowsChanged == 0) {
            return ChangeOutcome.success(change, 200, current.version(), resource(current));
        }
        StoredGroup next = current.next(document, current.memberCount() + membership.countChange, change.acceptedAt());
        groups.update(next);
        return ChangeOutcome.success(change, 200, next.version(), resource(next));
    }

    private ChangeOutcome delete(ScimChange change, Facts facts) {
        StoredGroup current = lockExisting(change);
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
                .map((GroupMember member) -> ScimGroups.member(member.userId(), member.display(), null)).toList();
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

    private void requireUsers(ScimChange change, List<String> userIds) {
        List<String> unknown = groups.unknownUsers(change.tenant(), userIds);
        if (!unknown.isEmpty()) {
            throw ScimException.invalidValue("members must be users of this tenant; no such user: "
                    + String.join(", ", unknown.subList(0, Math.min(unknown.size(), 10)))
                    + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : ""));
        }
    }

    /** Membership changes applied to the rows one after the other, with their facts, counting what changed. */
    private final class MembershipUpdate {

        private final ScimChange change;
        private final String groupId;
        private final Facts.GroupFacts groupFacts;
        long rowsChanged;
        long countChange;

        MembershipUpdate(ScimChange change, String groupId, Facts.GroupFacts groupFacts) {
            this.change = change;
            this.groupId = groupId;
            this.groupFacts = groupFacts;
        }

        void apply(MembershipChange membership) {
            if (membership instanceof MembershipChange.Add add) {
                added(groups.addMembers(change.tenant(), groupId, add.userIds()));
            } else if (membership instanceof MembershipChange.Remove remove) {
                removed(groups.removeMembers(change.tenant(), groupId, remove.userIds()));
            } else if (membership instanceof MembershipChange.Replace replace) {
                removeAllExcept(replace.userIds());
                added(groups.addMembers(change.tenant(), groupId, replace.userIds()));
            } else {
                removeAllExcept(List.of());
            }
        }

        /** The diff of a replace, computed in SQL a chunk at a time: members not kept leave, newcomers join. */
        private void removeAllExcept(List<String> keep) {
            List<String> chunk;
            do {
                chunk = groups.removeMembersExcept(change.tenant(), groupId, keep, ScimEvent.MAX_MEMBERS);
                removed(chunk);
            } while (chunk.size() == ScimEvent.MAX_MEMBERS);
        }

        private void added(List<String> userIds) {
            groupFacts.members(EventType.MEMBERS_ADDED, userIds);
            rowsChanged += userIds.size();
            countChange += userIds.size();
        }

        private void removed(List<String> userIds) {
            groupFacts.members(EventType.MEMBERS_REMOVED, userIds);
            rowsChanged += userIds.size();
            countChange -= userIds.size();
        }
    }
}
