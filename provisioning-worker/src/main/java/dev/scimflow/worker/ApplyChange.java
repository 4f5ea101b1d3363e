package dev.scimflow.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimChange;
import dev.scimflow.store.AppliedChanges;

/**
 * Applies one change in one database transaction: claim its change id, apply it to the resource, record the
 * outcome. A change that was applied before is not applied again; its recorded outcome is returned.
 */
@Service
class ApplyChange {

    private static final Logger log = LoggerFactory.getLogger(ApplyChange.class);

    private final AppliedChanges appliedChanges;
    private final ApplyUserChange users;
    private final ApplyGroupChange groups;

    ApplyChange(AppliedChanges appliedChanges, ApplyUserChange users, ApplyGroupChange groups) {
        this.appliedChanges = appliedChanges;
        this.users = users;
        this.groups = groups;
    }

    @Transactional
    public ChangeOutcome apply(ScimChange change) {
        if (!appliedChanges.claim(change.changeId(), change.tenant(), change.resourceId())) {
            log.info("change {} was applied before; answering with its recorded outcome", change.changeId());
            return EventCodec.mapper().readValue(appliedChanges.outcome(change.changeId()).orElseThrow(), ChangeOutcome.class);
        }
        ChangeOutcome outcome = switch (change.resourceType()) {
            case USER -> users.apply(change);
            case GROUP -> groups.apply(change);
        };
        appliedChanges.recordOutcome(change.changeId(), EventCodec.mapper().writeValueAsString(outcome));
        log.info("applied change {} ({} {} {}): {}", change.changeId(), change.operation(), change.resourceType(),
                change.resourceId(), outcome.status());
        return outcome;
    }
}
