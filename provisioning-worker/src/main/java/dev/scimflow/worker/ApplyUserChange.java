package dev.scimflow.worker;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.scim.UserPatch;
import dev.scimflow.store.Groups;
import dev.scimflow.store.StoredUser;
import dev.scimflow.store.Users;
import tools.jackson.databind.node.ObjectNode;

/**
 * The four SCIM writes on a user, applied against its current state inside the caller's transaction.
 * Times are the ingress's acceptance time of the change, so that re-applying a change (replay after a
 * restore) gives the very same resource. A SCIM error becomes a failed outcome, recorded like a success.
 */
@Component
class ApplyUserChange {

    private final Users users;
    private final Groups groups;
    private final Facts facts;

    ApplyUserChange(Users users, Groups groups, Facts facts) {
        this.users = users;
        this.groups = groups;
        this.facts = facts;
    }

    ChangeOutcome apply(ScimChange change) {
        try {
            return switch (change.operation()) {
                case CREATE -> create(change);
                case REPLACE -> update(change, EventType.REPLACED, ScimUsers.validateForWrite(change.body()));
                case PATCH -> update(change, EventType.PATCHED, null);
                case DELETE -> delete(change);
            };
        } catch (ScimException e) {
            return ChangeOutcome.failure(change, e.status(), e.scimType(), e.detail());
        }
    }

    private ChangeOutcome create(ScimChange change) {
        ObjectNode document = ScimUsers.validateForWrite(change.body());
        if (users.find(change.tenant(), change.resourceId()).isPresent()) {
            throw ScimException.uniqueness("a user with id " + change.resourceId() + " already exists");
        }
        requireUniqueUserName(change, document);
        StoredUser user = new StoredUser(change.tenant(), change.resourceId(), document, 1, change.acceptedAt(), change.acceptedAt());
        users.insert(user);
        facts.record(change, EventType.CREATED, null, user);
        return ChangeOutcome.success(change, 201, user.version(), user.toResource(null));
    }

    private ChangeOutcome update(ScimChange change, EventType type, ObjectNode replacement) {
        StoredUser current = lockExisting(change);
        ObjectNode document = replacement != null ? replacement : UserPatch.parse(change.body()).applyTo(current.document());
        if (document.equals(current.document())) {
            return ChangeOutcome.success(change, 200, current.version(), current.toResource(null));
        }
        requireUniqueUserName(change, document);
        StoredUser next = current.withDocument(document, change.acceptedAt());
        users.update(next);
        facts.record(change, type, current, next);
        return ChangeOutcome.success(change, 200, next.version(), next.toResource(null));
    }

    /**
     * A deleted user leaves every group in the same transaction, each group's version bumped, with a
     * MEMBERS_REMOVED fact per group. The groups are locked before the user, in the order group changes lock.
     */
    private ChangeOutcome delete(ScimChange change) {
        groups.lockGroupsOf(change.tenant(), change.resourceId());
        StoredUser current = lockExisting(change);
        for (Groups.GroupVersion group : groups.removeFromAllGroups(change.tenant(), change.resourceId(), change.acceptedAt())) {
            facts.group(change, group.groupId(), group.version()).members(EventType.MEMBERS_REMOVED, List.of(change.resourceId()));
        }
        users.delete(change.tenant(), change.resourceId());
        facts.record(change, EventType.DELETED, current, null);
        return ChangeOutcome.success(change, 204, current.version(), null);
    }

    private StoredUser lockExisting(ScimChange change) {
        StoredUser current = users.lock(change.tenant(), change.resourceId())
                .orElseThrow(() -> ScimException.notFound("User " + change.resourceId() + " not found"));
        if (change.ifMatch() != null && !ScimUsers.ifMatchSatisfied(change.ifMatch(), current.version())) {
            throw ScimException.preconditionFailed("the user is at version " + ScimUsers.etag(current.version()));
        }
        return current;
    }

    private void requireUniqueUserName(ScimChange change, ObjectNode document) {
        if (users.userNameTaken(change.tenant(), ScimUsers.userName(document), change.resourceId())) {
            throw ScimException.uniqueness("userName " + ScimUsers.userName(document) + " is already taken");
        }
    }
}
