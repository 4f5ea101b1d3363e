package dev.scimflow.audit.recording;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.scimflow.events.ScimEvent;

/**
 * Writes the audit row an event calls for: one per deactivation or reactivation, none for any other fact.
 * The event id is unique in the log, so a redelivered or replayed event leaves the log unchanged.
 */
@Service
public class RecordDeactivation {

    private static final Logger log = LoggerFactory.getLogger(RecordDeactivation.class);

    private final JdbcClient jdbc;

    RecordDeactivation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void apply(ScimEvent event) {
        DeactivationRecord.of(event).ifPresent(this::insert);
    }

    private void insert(DeactivationRecord record) {
        int inserted = jdbc.sql("""
                        insert into audit.deactivations (tenant, user_id, user_name, display_name, action, cause,
                            client_name, token_id, request_id, change_id, event_id, changed_at, before, after)
                        values (:tenant, :userId, :userName, :displayName, :action, :cause, :clientName, :tokenId,
                            :requestId, :changeId, :eventId, cast(:changedAt as timestamptz), cast(:before as jsonb),
                            cast(:after as jsonb))
                        on conflict (event_id) do nothing""")
                .param("tenant", record.tenant())
                .param("userId", record.userId())
                .param("userName", record.user().userName())
                .param("displayName", record.user().displayName())
                .param("action", record.action().name())
                .param("cause", record.cause().name())
                .param("clientName", record.actor().clientName())
                .param("tokenId", record.actor().tokenId())
                .param("requestId", record.requestId())
                .param("changeId", record.changeId())
                .param("eventId", record.eventId())
                .param("changedAt", Objects.toString(record.changedAt(), null))
                .param("before", Objects.toString(record.before(), null))
                .param("after", Objects.toString(record.after(), null))
                .update();
        log.info("{} user {} of tenant {} by {} (event {}, change {}, request {}){}", record.action(), record.userId(),
                record.tenant(), record.cause(), record.eventId(), record.changeId(), record.requestId(),
                inserted == 0 ? ": already recorded" : "");
    }
}
