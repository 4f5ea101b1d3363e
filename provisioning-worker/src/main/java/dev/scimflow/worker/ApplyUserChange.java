package dev.scimflow.worker;

import java.util.List;
import java.util.Objects;

import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.scim.UserPatch;
import dev.scimflow.store.Groups;
import dev.scimflow.store.StoredUser;
import dev.scimflow.store.UserKey;
import dev.scimflow.store.Users;
import tools.jackson.databind.node.ObjectNode;

/**
 * The four SCIM writes on a user, applied against its current state as the batch sees it, inside the batch's
 * transaction. Times are the ingress's acceptance time of the change, so that re-applying a change (replay after a
 * restore) gives the very same resource. A SCIM error becomes a failed outcome, recorded like a success.
 */
@Component
class ApplyUserChange {

    private final Users users;
    private final Groups groups;

    ApplyUserChange(Users users, Groups groups) {
        this.users = users;
        this.groups = groups;
    }

    ChangeOutcome apply(ScimChange change, ChangeBatch batch) {
        try {
            return switch (change.operation()) {
                case CREATE -> create(change, batch);
                case REPLACE -> update(change, batch, EventType.REPLACED, ScimUsers.validateForWrite(change.body()));
                case PATCH -> update(change, batch, EventType.PATCHED, null);
                case DELETE -> delete(change, batch);
            };
        } catch (ScimException e) {
            return ChangeOutcome.failure(change, e.status(), e.scimType(), e.detail());
        }
    }

    private ChangeOutcome create(ScimChange change, ChangeBatch batch) {
        ObjectNode document = ScimUsers.validateForWrite(change.body());
        if (batch.users().find(key(change)).isPresent()) {
            throw ScimException.uniqueness("a user with id " + change.resourceId() + " already exists");
        }
        requireUniqueUserName(change, batch, document);
        StoredUser user = new StoredUser(change.tenant(), change.resourceId(), document, 1, change.acceptedAt(), change.acceptedAt());
        batch.users().created(user);
        ObjectNode resource = user.toResource(null);
        batch.facts().record(change, EventType.CREATED, null, user, null, resource);
        return ChangeOutcome.success(change, 201, user.version(), resource);
    }

    private ChangeOutcome update(ScimChange change, ChangeBatch batch, EventType type, ObjectNode replacement) {
        StoredUser current = existing(change, batch);
        ObjectNode document = replacement != null ? replacement : UserPatch.parse(change.body()).applyTo(current.document());
        if (document.equals(current.document())) {
            return ChangeOutcome.success(change, 200, current.version(), current.toResource(null));
        }
        if (!Objects.equals(ScimUsers.userName(document), current.userName())) {
            // a user keeps its own userName without a lookup: nobody else can hold it while it does
            requireUniqueUserName(change, batch, document);
        }
        StoredUser next = current.withDocument(document, change.acceptedAt());
        batch.users().updated(current, next);
        ObjectNode resource = next.toResource(null);
        batch.facts().record(change, type, current, next, current.toResource(null), resource);
        return ChangeOutcome.success(change, 200, next.version(), resource);
    }

    /**
     * A deleted user leaves every group in the same transaction, each group's version bumped, with a
     * MEMBERS_REMOVED fact per group. It runs against the store directly, after the batch's pending user writes: the
     * groups are locked before the user's row is locked for deletion, in the order group changes lock.
     */
    private ChangeOutcome delete(ScimChange change, ChangeBatch batch) {
        existing(change, batch);
        batch.users().flush();
        groups.lockGroupsOf(change.tenant(), change.resourceId());
        StoredUser current = users.lock(change.tenant(), change.resourceId()).orElseThrow();
        for (Groups.GroupVersion group : groups.removeFromAllGroups(change.tenant(), change.resourceId(), change.acceptedAt())) {
            batch.facts().group(change, group.groupId(), group.version()).members(EventType.MEMBERS_REMOVED, List.of(change.resourceId()));
        }
        users.delete(change.tenant(), change.resourceId());
        batch.users().deleted(current);
        batch.facts().record(change, EventType.DELETED, current, null, current.toResource(null), null);
        return ChangeOutcome.success(change, 204, current.version(), null);
    }

    /** The user as the batch sees it, if it exists and the change's If-Match allows; 404 or 412 otherwise. */
    private static StoredUser existing(ScimChange change, ChangeBatch batch) {
        StoredUser current = batch.users().find(key(change))
                .orElseThrow(() -> ScimException.notFound("User " + change.resourceId() + " not found"));
        if (change.ifMatch() != null && !ScimUsers.ifMatchSatisfied(change.ifMatch(), current.version())) {
            throw ScimException.preconditionFailed("the user is at version " + ScimUsers.etag(current.version()));
        }
        return current;
    }

    private static void requireUniqueUserName(ScimChange change, ChangeBatch batch, ObjectNode document) {
        String userName = ScimUsers.userName(document);
        if (batch.users().userNameTaken(change.tenant(), userName, change.resourceId())) {
            throw ScimException.uniqueness("userName " + userName + " is already taken");
        }
    }

    private static UserKey key(ScimChange change) {
        return new UserKey(change.tenant(), change.resourceId());
    }
}
