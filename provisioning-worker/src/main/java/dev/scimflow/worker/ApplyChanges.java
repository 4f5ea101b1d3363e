package dev.scimflow.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.store.AppliedChanges;
import dev.scimflow.store.Outbox;
import dev.scimflow.store.UserKey;
import dev.scimflow.store.Users;
import dev.scimflow.store.Users.UserName;

/**
 * Applies a batch of changes in one database transaction, in the order given (the order of their partitions, so
 * changes to one resource apply in the order the ingress accepted them): finds in one query which were applied
 * before (those are answered with their recorded outcomes, not applied again), reads and locks the users the rest
 * touch in one query, applies each, and writes users, facts (to the outbox) and the applied changes with their
 * outcomes in one statement each. Either all of the batch commits or none of it.
 */
@Service
class ApplyChanges {

    private final AppliedChanges appliedChanges;
    private final Outbox outbox;
    private final Users users;
    private final ApplyUserChange userChanges;
    private final ApplyGroupChange groupChanges;

    ApplyChanges(AppliedChanges appliedChanges, Outbox outbox, Users users, ApplyUserChange userChanges,
                 ApplyGroupChange groupChanges) {
        this.appliedChanges = appliedChanges;
        this.outbox = outbox;
        this.users = users;
        this.userChanges = userChanges;
        this.groupChanges = groupChanges;
    }

    /** The outcome of each change, in the order given, each with its JSON as published and recorded. */
    @Transactional
    public List<EncodedOutcome> apply(List<ScimChange> changes) {
        return apply(changes, Map.of());
    }

    /**
     * As {@link #apply(List)}; the facts of each change carry on the trace context {@code traceparents} gives for its
     * change id (a {@code traceparent} value), if any.
     */
    @Transactional
    public List<EncodedOutcome> apply(List<ScimChange> changes, Map<UUID, String> traceparents) {
        Map<UUID, String> recorded = appliedChanges.outcomes(changes.stream().map(ScimChange::changeId).toList());
        ChangeBatch batch = new ChangeBatch(users);
        batch.users().load(userKeys(changes, recorded), userNames(changes, recorded));

        Map<UUID, EncodedOutcome> outcomes = new HashMap<>();
        List<EncodedOutcome> answers = new ArrayList<>(changes.size());
        List<AppliedChanges.Applied> applied = new ArrayList<>();
        for (ScimChange change : changes) {
            EncodedOutcome outcome = outcomes.get(change.changeId());
            if (outcome == null && recorded.containsKey(change.changeId())) {
                outcome = EncodedOutcome.of(EventCodec.mapper().readValue(recorded.get(change.changeId()), ChangeOutcome.class));
            } else if (outcome == null) {
                outcome = EncodedOutcome.of(applyOne(change, batch));
                applied.add(new AppliedChanges.Applied(change.changeId(), change.tenant(), change.resourceId(), outcome.json()));
            }
            outcomes.put(change.changeId(), outcome);
            answers.add(outcome);
        }
        batch.users().flush();
        outbox.add(batch.facts().records(Instant.now(), traceparents));
        appliedChanges.record(applied);
        return answers;
    }

    private ChangeOutcome applyOne(ScimChange change, ChangeBatch batch) {
        if (change.resourceType() == ResourceType.GROUP) {
            // a group's members are checked and written in the store: users this batch created must be there first
            batch.users().flush();
            return groupChanges.apply(change, batch.facts());
        }
        return userChanges.apply(change, batch);
    }

    private static List<UserKey> userKeys(List<ScimChange> changes, Map<UUID, String> recorded) {
        return changes.stream()
                .filter(change -> change.resourceType() == ResourceType.USER && !recorded.containsKey(change.changeId()))
                .map(change -> new UserKey(change.tenant(), change.resourceId()))
                .toList();
    }

    /** The userNames the batch's user creates and replaces ask for (a PATCH's new name is looked up when met). */
    private static List<UserName> userNames(List<ScimChange> changes, Map<UUID, String> recorded) {
        return changes.stream()
                .filter(change -> change.resourceType() == ResourceType.USER && !recorded.containsKey(change.changeId()))
                .filter(change -> change.operation() == ChangeOperation.CREATE || change.operation() == ChangeOperation.REPLACE)
                .filter(change -> change.body() != null && change.body().isObject())
                .map(change -> new UserName(change.tenant(), ScimUsers.userName(change.body())))
                .toList();
    }
}
