package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.audit.recording.RecordActivationChanges;
import dev.scimflow.audit.retention.AuditRetention;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;

/** Each tenant's records form one hash chain that verification recomputes, and that shows any edit or removal. */
class HashChainIT extends RunningAuditService {

    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RecordActivationChanges recordDeactivation;

    @Autowired
    AuditRetention retention;

    /** Publishes {@code count} deactivations of different users of the tenant, and waits until all are recorded. */
    private List<ScimEvent> deactivations(String tenant, int count) throws Exception {
        List<ScimEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(deactivate(tenant, "u-" + i, "user" + i + "@example.com", "Okta SCIM Client",
                    Instant.parse("2026-03-04T05:06:07Z").plusSeconds(i)));
        }
        awaitDeactivations(tenant, count);
        return events;
    }

    private List<Map<String, Object>> links(String tenant) {
        return jdbc.sql("""
                select chain_seq, previous_hash, record_hash, event_id::text as event_id
                  from audit.deactivations where tenant = :tenant order by chain_seq""")
                .param("tenant", tenant).query().listOfRows();
    }

    private String eventIdAt(String tenant, long seq) {
        return jdbc.sql("select event_id::text from audit.deactivations where tenant = :tenant and chain_seq = :seq")
                .param("tenant", tenant).param("seq", seq).query(String.class).single();
    }

    private void assertBrokenAt(String tenant, long seq, String kind) throws Exception {
        JsonNode report = chainOf(tenant);
        assertThat(report.get("intact").asBoolean()).isFalse();
        assertThat(report.get("brokenLink").get("seq").asLong()).isEqualTo(seq);
        assertThat(report.get("brokenLink").get("kind").asString()).isEqualTo(kind);
    }

    @Test
    void everyRecordOfATenantLinksToTheOneBeforeItAndVerificationRecomputesThem() throws Exception {
        String tenant = uniqueTenant("chain");
        deactivations(tenant, 5);

        List<Map<String, Object>> links = links(tenant);
        assertThat(links).extracting(link -> ((Number) link.get("chain_seq")).longValue()).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (int i = 1; i < links.size(); i++) {
            assertThat(links.get(i).get("previous_hash")).isEqualTo(links.get(i - 1).get("record_hash"));
        }
        JsonNode report = chainOf(tenant);
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("recordsChecked").asLong()).isEqualTo(5);
        assertThat(report.get("head").get("seq").asLong()).isEqualTo(5);
        assertThat(report.get("head").get("recordHash").asString()).isEqualTo(links.get(4).get("record_hash"));
        assertThat(report.get("brokenLink").isNull()).isTrue();
    }

    @Test
    void snapshotsWithAnyJsonSurviveTheDatabaseAndStillVerify() throws Exception {
        String tenant = uniqueTenant("json");
        var before = user("j-1", "zoë@example.com", true, "Zoë \"Z\" Ünal");
        before.put("score", 1.50).put("big", 1e21).put("count", 10);
        before.putArray("emails").addObject().put("value", "z@example.com").put("primary", true);
        before.putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").put("department", "R&D\n<lab>");
        var after = before.deepCopy().put("active", false);
        publish(event(tenant, "j-1", EventType.PATCHED, before, after));
        awaitDeactivations(tenant, 1);
        assertThat(chainOf(tenant).get("intact").asBoolean()).isTrue();
    }

    @Test
    void anEditedRecordIsTheFirstBrokenLink() throws Exception {
        String tenant = uniqueTenant("edited");
        deactivations(tenant, 3);
        jdbc.sql("update audit.deactivations set user_name = 'someone-else' where tenant = :tenant and chain_seq = 2")
                .param("tenant", tenant).update();

        assertBrokenAt(tenant, 2, "EDITED");
        assertThat(chainOf(tenant).get("brokenLink").get("eventId").asString()).isEqualTo(eventIdAt(tenant, 2));
        assertThat(chainOf(tenant).get("recordsChecked").asLong()).as("the record before still holds").isEqualTo(1);
        JsonNode all = api("/api/v1/chain/verify");
        assertThat(all.get("intact").asBoolean()).isFalse();
        assertThat(all.get("tenants")).anySatisfy(report -> {
            assertThat(report.get("tenant").asString()).isEqualTo(tenant);
            assertThat(report.get("intact").asBoolean()).isFalse();
        });
    }

    @Test
    void anEditedSnapshotOrTimeIsCaughtToo() throws Exception {
        String tenant = uniqueTenant("snapshot");
        deactivations(tenant, 2);
        jdbc.sql("update audit.deactivations set after = jsonb_set(after, '{active}', 'true') where tenant = :tenant and chain_seq = 1")
                .param("tenant", tenant).update();
        assertBrokenAt(tenant, 1, "EDITED");

        String other = uniqueTenant("time");
        deactivations(other, 2);
        jdbc.sql("update audit.deactivations set changed_at = changed_at - interval '1 day' where tenant = :tenant and chain_seq = 2")
                .param("tenant", other).update();
        assertBrokenAt(other, 2, "EDITED");
    }

    @Test
    void aRecordWhoseHashesWereChangedNoLongerLinks() throws Exception {
        String tenant = uniqueTenant("relinked");
        deactivations(tenant, 3);
        jdbc.sql("update audit.deactivations set previous_hash = repeat('0', 64) where tenant = :tenant and chain_seq = 3")
                .param("tenant", tenant).update();
        assertBrokenAt(tenant, 3, "RELINKED");
    }

    @Test
    void aDeletedRecordIsReportedWhereItIsMissing() throws Exception {
        String middle = uniqueTenant("deleted");
        deactivations(middle, 3);
        jdbc.sql("delete from audit.deactivations where tenant = :tenant and chain_seq = 2").param("tenant", middle).update();
        assertBrokenAt(middle, 2, "MISSING");

        String oldest = uniqueTenant("deleted-first");
        deactivations(oldest, 2);
        jdbc.sql("delete from audit.deactivations where tenant = :tenant and chain_seq = 1").param("tenant", oldest).update();
        assertBrokenAt(oldest, 1, "MISSING");

        String newest = uniqueTenant("deleted-last");
        deactivations(newest, 3);
        jdbc.sql("delete from audit.deactivations where tenant = :tenant and chain_seq = 3").param("tenant", newest).update();
        assertBrokenAt(newest, 3, "HEAD_MISMATCH");
    }

    @Test
    void concurrentAppendsFromManyConsumersKeepOneChainAndRecordEachEventOnce() throws Exception {
        String tenant = uniqueTenant("concurrent");
        List<ScimEvent> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            events.add(
                    event(tenant, "c-" + i, EventType.PATCHED, user("c-" + i, "c" + i, true, null), user("c-" + i, "c" + i, false, null)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> appends = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int offset = thread;
                // every event is appended by two threads at about the same time, as a redelivery during a rebalance would
                appends.add(threads.submit(() -> {
                    for (int i = 0; i < events.size(); i++) {
                        if (i % 4 == offset % 4) {
                            recordDeactivation.apply(events.get(i));
                        }
                    }
                    return null;
                }));
            }
            // meanwhile the listener appends more of the same tenant's records, a poll at a time
            for (int i = 0; i < 30; i++) {
                deactivate(tenant, "k-" + i, "k" + i, "Okta SCIM Client", Instant.parse("2026-03-04T05:06:07Z"));
            }
            for (Future<?> append : appends) {
                append.get();
            }
        } finally {
            threads.shutdown();
        }

        await().atMost(PATIENCE).until(() -> links(tenant).size() == 150);
        assertThat(links(tenant)).extracting(link -> ((Number) link.get("chain_seq")).longValue())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 150).boxed().toList());
        assertThat(links(tenant)).extracting(link -> link.get("event_id")).doesNotHaveDuplicates();
        JsonNode report = chainOf(tenant);
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("recordsChecked").asLong()).isEqualTo(150);
    }

    @Test
    void retentionRemovesTheOldestRecordsAndVerificationStillPasses() throws Exception {
        String tenant = uniqueTenant("retention");
        // one user, so that the records arrive in the order published (one partition)
        List<ScimEvent> old = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            boolean deactivates = day % 2 == 0;
            old.add(event(tenant, "r-1", EventType.PATCHED, user("r-1", "rae", deactivates, null),
                    user("r-1", "rae", !deactivates, null), "Okta SCIM Client", LONG_AGO.plusSeconds(86_400L * day)));
            publish(old.get(day));
        }
        publish(event(tenant, "r-1", EventType.PATCHED, user("r-1", "rae", false, null), user("r-1", "rae", true, null)));
        awaitDeactivations(tenant, 4);

        long removed = retention.removeRecordedBefore(Instant.parse("2021-01-01T00:00:00Z"));
        assertThat(removed).isGreaterThanOrEqualTo(3);
        assertThat(deactivationsOf(tenant)).hasSize(1);
        JsonNode report = chainOf(tenant);
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("recordsChecked").asLong()).isEqualTo(1);
        assertThat(report.get("checkpoint").get("seq").asLong()).isEqualTo(3);

        publish(old.get(0));
        publish(event(tenant, "r-1", EventType.DELETED, user("r-1", "rae", true, null), null));
        assertThat(awaitDeactivations(tenant, 2)).as("a removed record delivered again stays removed")
                .extracting(item -> item.get("id").asString()).doesNotContain(old.get(0).eventId().toString());
        assertThat(chainOf(tenant).get("intact").asBoolean()).as("appends go on after the checkpoint").isTrue();
        assertThat(retention.removeRecordedBefore(tenant, Instant.parse("2021-01-01T00:00:00Z"))).as("nothing more is old").isZero();

        assertThat(retention.removeRecordedBefore(tenant, Instant.parse("2100-01-01T00:00:00Z"))).isEqualTo(2);
        assertThat(deactivationsOf(tenant)).isEmpty();
        assertThat(chainOf(tenant).get("intact").asBoolean()).as("a chain emptied by retention still verifies").isTrue();
        assertThat(chainOf(tenant).get("checkpoint").get("seq").asLong()).isEqualTo(5);
    }

    @Test
    void retentionLeavesABrokenChainAsItIsSoThatTheEvidenceStays() throws Exception {
        String tenant = uniqueTenant("retention-broken");
        for (int day = 0; day < 2; day++) {
            boolean deactivates = day % 2 == 0;
            publish(event(tenant, "b-1", EventType.PATCHED, user("b-1", "bo", deactivates, null),
                    user("b-1", "bo", !deactivates, null), "Okta SCIM Client", LONG_AGO.plusSeconds(86_400L * day)));
        }
        awaitDeactivations(tenant, 2);
        jdbc.sql("update audit.deactivations set request_id = 'forged' where tenant = :tenant and chain_seq = 1")
                .param("tenant", tenant).update();

        assertThat(retention.removeRecordedBefore(tenant, Instant.parse("2021-01-01T00:00:00Z"))).isZero();
        assertThat(deactivationsOf(tenant)).hasSize(2);
        assertBrokenAt(tenant, 1, "EDITED");
    }
}
