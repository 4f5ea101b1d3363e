package dev.scimflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.testing.TestInfrastructure;

/**
 * Single-member adds and removes on a 100,000-member group, through the worker's real apply path
 * ({@link ApplyChanges}: claim, lock, membership rows, group version, facts to the outbox, outcome, commit)
 * against real PostgreSQL. Prints p50/p90/p99/max per operation, next to the same operations on a 10-member group
 * interleaved with them (same background load). The Kafka hops on either side are not timed.
 *
 * <p>Run: {@code mvn verify -Pbench -pl provisioning-worker -am} (the libraries built first; no other test runs). It
 * drives {@link ApplyChanges}, which is package-private, so it lives here rather than in the bench module. Not part
 * of a normal build. Sizes: {@code -Dbench.members=100000
 * -Dbench.operations=2000 -Dbench.warmup=400}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class GroupMembershipBenchmark {

    private static final int MEMBERS = Integer.getInteger("bench.members", 100_000);
    private static final int OPERATIONS = Integer.getInteger("bench.operations", 2_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 400);
    private static final long TARGET_P99_MICROS = 20_000;

    @Autowired
    ApplyChanges applyChanges;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.registerNewDatabaseAndBroker(registry);
    }

    @Test
    void singleMemberAddsAndRemovesOnAHundredThousandMemberGroup() throws IOException {
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        new TenantTokens(dataSource).createTenant(tenant);
        String large = UUID.randomUUID().toString();
        String small = UUID.randomUUID().toString();
        int rounds = (WARMUP + OPERATIONS) / 2;
        long seedStart = System.nanoTime();
        seed(tenant, large, small, MEMBERS, rounds + 1);
        long seedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - seedStart);
        List<String> outside = jdbc().sql("""
                select u.id from scim.users u where u.tenant_id = ? and not exists (
                    select 1 from scim.group_members m where m.tenant_id = u.tenant_id and m.user_id = u.id)
                order by u.id""")
                .params(tenant).query(String.class).list();
        String loadBefore = loadAverage();

        Histogram adds = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        Histogram removes = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        Histogram smallGroup = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        for (int i = 0; i < rounds; i++) {
            boolean measured = i >= WARMUP / 2;
            String user = outside.get(i);
            // The same operations on a 10-member group, interleaved, see the same background load: the comparison
            // shows what the size of the group costs (nothing, if membership changes are O(changed members)).
            time(tenant, large, add(user), measured ? adds : null);
            time(tenant, small, add(user), measured ? smallGroup : null);
            time(tenant, large, remove(user), measured ? removes : null);
            time(tenant, small, remove(user), measured ? smallGroup : null);
        }

        Histogram all = adds.copy();
        all.add(removes);
        String report = String.join(System.lineSeparator(),
                "",
                "=== GroupMembershipBenchmark: single-member PATCH add/remove through ApplyChanges (real PostgreSQL) ===",
                "seeded a " + MEMBERS + "-member group and a 10-member group (+" + (rounds + 1) + " other users) by SQL in "
                        + seedMillis + " ms; " + WARMUP + " warm-up operations per group not counted",
                "load average before: " + loadBefore + "; after: " + loadAverage() + " (" + Runtime.getRuntime().availableProcessors()
                        + " CPUs)",
                line(MEMBERS + " members, add   ", adds),
                line(MEMBERS + " members, remove", removes),
                line(MEMBERS + " members, all   ", all),
                line("10 members, all       ", smallGroup),
                "target p99 < " + TARGET_P99_MICROS / 1000 + " ms on the large group: "
                        + (all.getValueAtPercentile(99) < TARGET_P99_MICROS ? "MET" : "MISSED"),
                "");
        System.out.println(report);
        Files.writeString(Path.of("target", "group-membership-benchmark.txt"), report);

        assertThat(jdbc().sql("select member_count from scim.groups where tenant_id = ? and id = ?").params(tenant, large)
                .query(Long.class).single()).isEqualTo(MEMBERS);
        assertThat(jdbc().sql("select count(*) from scim.group_members where tenant_id = ? and group_id = ?").params(tenant, large)
                .query(Long.class).single()).isEqualTo(MEMBERS);
    }

    private static String add(String user) {
        return "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + user + "\"}]}]";
    }

    private static String remove(String user) {
        return "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + user + "\\\"]\"}]";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void time(String tenant, String groupId, String operations, Histogram histogram) {
        // a small group is answered with its members, a large one without
        ScimChange change = new ScimChange(UUID.randomUUID(), tenant, ResourceType.GROUP, groupId, ChangeOperation.PATCH,
                EventCodec.mapper().readTree("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                        + operations + "}"),
                null, new Actor("tok_bench", "benchmark"), "bench", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                ScimChange.SCHEMA_VERSION);
        long start = System.nanoTime();
        ChangeOutcome outcome = applyChanges.apply(java.util.List.of(change)).get(0).outcome();
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        if (outcome.status() != 200) {
            throw new IllegalStateException("unexpected outcome " + outcome.status() + " " + outcome.detail());
        }
        if (histogram != null) {
            histogram.recordValue(micros);
        }
    }

    /** The tenant's users, a large group holding the first {@code members} of them and a small one of 10, analyzed. */
    private void seed(String tenant, String large, String small, int members, int others) {
        jdbc().sql("""
                insert into scim.users (tenant_id, id, user_name, active, document, version, created_at, last_modified)
                select ?, gen_random_uuid()::text, 'user' || g || '@example.com', true,
                       jsonb_build_object('userName', 'user' || g || '@example.com', 'active', true), 1, now(), now()
                from generate_series(1, ?) g""")
                .params(tenant, members + 10 + others).update();
        for (String group : List.of(large, small)) {
            jdbc().sql("""
                    insert into scim.groups (tenant_id, id, display_name, document, member_count, version, created_at, last_modified)
                    values (?, ?, ?, jsonb_build_object('schemas', jsonb_build_array('urn:ietf:params:scim:schemas:core:2.0:Group'),
                            'displayName', ?::text), ?, 1, now(), now())""")
                    .params(tenant, group, group, group, group.equals(large) ? members : 10).update();
        }
        jdbc().sql("""
                insert into scim.group_members (tenant_id, group_id, user_id)
                select tenant_id, ?, id from scim.users where tenant_id = ? order by user_name limit ?""")
                .params(large, tenant, members).update();
        jdbc().sql("""
                insert into scim.group_members (tenant_id, group_id, user_id)
                select tenant_id, ?, id from scim.users where tenant_id = ? order by user_name offset ? limit 10""")
                .params(small, tenant, members).update();
        jdbc().sql("analyze scim.users").update();
        jdbc().sql("analyze scim.group_members").update();
        jdbc().sql("analyze scim.groups").update();
    }

    private static String line(String label, Histogram histogram) {
        return String.format("%s n=%d  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms  max=%.2f ms", label, histogram.getTotalCount(),
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    private JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }
}
