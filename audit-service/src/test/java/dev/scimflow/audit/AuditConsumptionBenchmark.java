package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.scimflow.events.Actor;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventHeaders;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.testing.TestInfrastructure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How fast the audit service drains {@code scim.events}, and what each event costs it: the service's own jar runs as a
 * process of its own (as in production) against a topic pre-filled with user events of which 5% are deactivations, and
 * a durable PostgreSQL ({@code fsync} and {@code synchronous_commit} on). Sampled every 25 ms: the consumer group's
 * committed offsets, the service process's CPU time and PostgreSQL's. The figures are taken over the steady part of the
 * run (from 10% to 90% of the measured events committed), after a warm-up share of events that lets the JIT settle.
 * Then, the topic drained, single deactivations are published one at a time and timed until their record is in the
 * database: what a deactivation waits for on an idle service. What the service costs the broker is counted by its own
 * Kafka client metrics ({@code /actuator/prometheus}): fetch requests and offset commits during the drain, and per
 * second while idle.
 *
 * <p>Run: {@code mvn verify -Pbench -pl audit-service -am} (the libraries built first; no other test runs). Not part
 * of a normal build; it asserts only that every deactivation was recorded once, never a speed. Settings:
 * {@code -Dbench.events=100000 -Dbench.warmup=20000 -Dbench.headers=true} (false: events as an older worker wrote them,
 * without record headers), {@code -Dbench.partitions=6}, {@code -Dbench.tenants=16},
 * {@code -Dbench.jvm="-Xmx512m -XX:+UseSerialGC"}, {@code -Dbench.env="SCIMFLOW_AUDIT_CONSUMERS=2"} (extra environment
 * of the service, space-separated NAME=value).
 */
class AuditConsumptionBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 20_000);
    private static final boolean HEADERS = Boolean.parseBoolean(System.getProperty("bench.headers", "true"));
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    private static final int TENANTS = Integer.getInteger("bench.tenants", 16);
    private static final String JVM = System.getProperty("bench.jvm", "-Xmx512m -XX:+UseSerialGC");
    private static final String ENV = System.getProperty("bench.env", "");
    /** One event in twenty deactivates a user. */
    private static final int DEACTIVATION_EVERY = 20;
    /** Single deactivations timed on the idle service after the drain. */
    private static final int IDLE_SAMPLES = 20;
    private static final Duration SAMPLE = Duration.ofMillis(25);
    /** How long the idle service's requests to the broker are counted. */
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration PATIENCE = Duration.ofMinutes(20);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    @Test
    void drainsAPreFilledTopic() throws Exception {
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        try (EmbeddedPostgres postgres = durablePostgres();
                Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions().size() < PARTITIONS) {
                admin.createPartitions(Map.of(Topics.EVENTS, NewPartitions.increaseTo(PARTITIONS))).all().get();
            }
            int total = WARMUP + EVENTS;
            long prefillStart = System.nanoTime();
            int deactivations = prefill(bootstrap, total);
            long prefillMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - prefillStart);
            long published = endOffsets(admin);

            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            JdbcClient database = JdbcClient.create(new SingleConnectionDataSource(jdbcUrl, "postgres", "postgres", true));
            String durability = "fsync=" + database.sql("show fsync").query(String.class).single()
                    + ", synchronous_commit=" + database.sql("show synchronous_commit").query(String.class).single();
            long postmaster = parentOf(database.sql("select pg_backend_pid()").query(Long.class).single());

            String group = "scimflow-audit-bench-" + UUID.randomUUID();
            Path log = Path.of("target", "audit-consumption-benchmark-service.log");
            int port = freePort();
            Process service = startService(bootstrap, jdbcUrl, group, log, port);
            List<Sample> samples = new ArrayList<>();
            IdleLags idleLags;
            BrokerRequests drain;
            BrokerRequests idle;
            try {
                // a sample every 25 ms until the group has committed the whole topic
                await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(SAMPLE).until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the audit service exited with " + service.exitValue() + "; see " + log);
                    }
                    Sample sample = new Sample(System.nanoTime(), committed(admin, group), cpuMillis(service.pid()),
                            postgresCpuMillis(postmaster));
                    samples.add(sample);
                    return sample.committed() >= published;
                });
                drain = BrokerRequests.of(port);
                idleLags = idleLags(bootstrap, database);
                // nothing to read for a while: what the service asks of the broker when idle
                BrokerRequests idleFrom = BrokerRequests.of(port);
                long idleStart = System.nanoTime();
                await().pollDelay(IDLE).atMost(IDLE.plusSeconds(1)).until(() -> true);
                idle = BrokerRequests.of(port).minus(idleFrom).perSecond((System.nanoTime() - idleStart) / 1e9);
            } finally {
                service.destroy();
                if (!service.waitFor(30, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }

            long recorded = database.sql("select count(*) from audit.deactivations").query(Long.class).single() - IDLE_SAMPLES;
            long distinct = database.sql("select count(distinct event_id) from audit.deactivations").query(Long.class).single()
                    - IDLE_SAMPLES;
            String report = report(samples, published, deactivations, recorded, prefillMillis, durability, idleLags, drain, idle);
            System.out.println(report);
            Files.writeString(Path.of("target", "audit-consumption-benchmark.txt"), report);

            assertThat(samples.get(samples.size() - 1).committed()).as("the service read the whole topic").isEqualTo(published);
            assertThat(recorded).as("every deactivation recorded").isEqualTo(deactivations);
            assertThat(distinct).as("each once").isEqualTo(deactivations);
        }
    }

    private record Sample(long nanos, long committed, long cpuMillis, long postgresCpuMillis) {
    }

    private static String report(List<Sample> samples, long published, int deactivations, long recorded, long prefillMillis,
                                 String durability, IdleLags idleLags, BrokerRequests drain, BrokerRequests idle) {
        Sample first = firstAtLeast(samples, 1);
        Sample from = firstAtLeast(samples, WARMUP + EVENTS / 10);
        Sample to = firstAtLeast(samples, WARMUP + EVENTS * 9L / 10);
        Sample end = samples.get(samples.size() - 1);
        long events = to.committed() - from.committed();
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        return String.join(System.lineSeparator(),
                "",
                "=== AuditConsumptionBenchmark: the audit service draining a pre-filled scim.events ===",
                "topic: %d events in %d partitions (%d warm-up + %d measured), every %dth a deactivation (%d), %d tenants, %s;"
                        .formatted(published, PARTITIONS, WARMUP, EVENTS, DEACTIVATION_EVERY, deactivations, TENANTS,
                                HEADERS ? "with record headers" : "WITHOUT record headers (as an older worker wrote them)"),
                "pre-filled in %d ms; PostgreSQL %s; service JVM: %s; extra environment: %s".formatted(prefillMillis,
                        durability, JVM, ENV.isBlank() ? "none" : ENV),
                "machine: %d CPUs, load average %s".formatted(Runtime.getRuntime().availableProcessors(), loadAverage()),
                "steady part (%d → %d committed, %d events in %.2f s):".formatted(from.committed(), to.committed(), events, seconds),
                "  %,.0f events/s".formatted(events / seconds),
                "  audit service CPU: %.1f µs per event (%,d ms for %d events)".formatted(
                        (to.cpuMillis() - from.cpuMillis()) * 1000.0 / events, to.cpuMillis() - from.cpuMillis(), events),
                "  PostgreSQL CPU:    %.1f µs per event".formatted((to.postgresCpuMillis() - from.postgresCpuMillis()) * 1000.0 / events),
                "whole drain from the first commit: %d events in %.2f s (%,.0f events/s); service CPU since its start %,d ms"
                        .formatted(end.committed() - first.committed(), (end.nanos() - first.nanos()) / 1e9,
                                (end.committed() - first.committed()) / ((end.nanos() - first.nanos()) / 1e9), end.cpuMillis()),
                "recorded %d deactivations (expected %d)".formatted(recorded, deactivations),
                "broker requests during the drain: %,.0f fetches and %,.0f offset commits, %.1f and %.1f per 1,000 events"
                        .formatted(drain.fetches(), drain.commits(), drain.fetches() * 1000 / published,
                                drain.commits() * 1000 / published),
                idleLags.describe(),
                "idle: %.1f fetch requests/s, %.1f offset commits/s".formatted(idle.fetches(), idle.commits()),
                "");
    }

    private static Sample firstAtLeast(List<Sample> samples, long committed) {
        return samples.stream().filter(sample -> sample.committed() >= committed).findFirst()
                .orElseThrow(() -> new IllegalStateException("never reached " + committed + " committed"));
    }

    /**
     * With the topic drained, publishes single deactivations one after the other and measures, for each, the time from
     * sending it until its record is visible in the database (polled every millisecond), in microseconds.
     */
    private static IdleLags idleLags(String bootstrap, JdbcClient database) throws Exception {
        List<Long> lags = new ArrayList<>();
        List<Long> acks = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < IDLE_SAMPLES; i++) {
                String userId = "idle-" + i;
                ScimEvent event = event("bench-idle", userId, EventType.PATCHED, user(userId, i, true, "Ida"),
                        user(userId, i, false, "Ida"), Instant.now());
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS, event.key(), EventCodec.encode(event));
                EventHeaders.write(event, record.headers());
                long sent = System.nanoTime();
                producer.send(record).get();
                acks.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
                await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                        .until(() -> database.sql("select count(*) from audit.deactivations where event_id = :id")
                                .param("id", event.eventId()).query(Long.class).single() == 1);
                lags.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
            }
        }
        // written_at is now() of the recording transaction, i.e. when it began; changed_at is when the event was made
        List<Long> untilTransaction = database.sql("""
                select (extract(epoch from written_at - changed_at) * 1000000)::bigint from audit.deactivations
                 where tenant = 'bench-idle' order by 1""").query(Long.class).list();
        return new IdleLags(lags.stream().sorted().toList(), acks.stream().sorted().toList(), untilTransaction);
    }

    /** Fetch requests and offset commits the service's consumers sent, from their Kafka client metrics. */
    private record BrokerRequests(double fetches, double commits) {

        static BrokerRequests of(int port) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            return new BrokerRequests(sum(response.body(), "kafka_consumer_fetch_manager_fetch_total"),
                    sum(response.body(), "kafka_consumer_coordinator_commit_total"));
        }

        /** The sum of a metric over all its series (one per consumer thread). */
        private static double sum(String exposition, String metric) {
            return exposition.lines().filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }

        BrokerRequests minus(BrokerRequests earlier) {
            return new BrokerRequests(fetches - earlier.fetches, commits - earlier.commits);
        }

        BrokerRequests perSecond(double seconds) {
            return new BrokerRequests(fetches / seconds, commits / seconds);
        }
    }

    /** Microseconds from sending a lone deactivation until its record is in the database, and until the broker acknowledged it. */
    private record IdleLags(List<Long> recorded, List<Long> acknowledged, List<Long> untilTransaction) {

        String describe() {
            return ("idle: a lone deactivation published after the drain is in the log %.1f ms after it was sent (median of %d;"
                    + " max %.1f ms); medians: acknowledged by the broker after %.1f ms, its recording transaction began after %.1f ms")
                    .formatted(median(recorded) / 1000.0, recorded.size(), recorded.get(recorded.size() - 1) / 1000.0,
                            median(acknowledged) / 1000.0, median(untilTransaction) / 1000.0);
        }

        private static long median(List<Long> sorted) {
            return sorted.get(sorted.size() / 2);
        }
    }

    /** Publishes {@code total} user events as the worker does; returns how many of them deactivate a user. */
    private static int prefill(String bootstrap, int total) throws Exception {
        int deactivations = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            Instant at = Instant.parse("2026-11-28T10:00:00Z");
            for (int i = 0; i < total; i++) {
                String tenant = "bench-" + (i % TENANTS);
                String userId = UUID.nameUUIDFromBytes(("user-" + i).getBytes()).toString();
                ScimEvent event;
                if (i % DEACTIVATION_EVERY == 0) {
                    event = event(tenant, userId, EventType.PATCHED, user(userId, i, true, "Ada"), user(userId, i, false, "Ada"), at);
                    deactivations++;
                } else if (i % 2 == 0) {
                    event = event(tenant, userId, EventType.CREATED, null, user(userId, i, true, "Ada"), at);
                } else {
                    event = event(tenant, userId, EventType.PATCHED, user(userId, i, true, "Ada"), user(userId, i, true, "Ada B."), at);
                }
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS, event.key(), EventCodec.encode(event));
                if (HEADERS) {
                    EventHeaders.write(event, record.headers());
                }
                producer.send(record);
                at = at.plusMillis(3);
            }
            producer.flush();
        }
        return deactivations;
    }

    /** A User snapshot of the size and shape the worker publishes. */
    private static JsonNode user(String id, int i, boolean active, String displayName) {
        ObjectNode user = EventCodec.mapper().createObjectNode();
        user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
        user.put("id", id).put("externalId", "ext-" + i).put("userName", "user" + i + "@bench.example")
                .put("displayName", displayName).put("active", active);
        user.putObject("name").put("givenName", "Given" + i).put("familyName", "Family").put("formatted", "Given" + i + " Family");
        user.putArray("emails").addObject().put("value", "user" + i + "@bench.example").put("type", "work").put("primary", true);
        user.put("locale", "en-US").put("role", "member");
        user.putObject("meta").put("resourceType", "User").put("created", "2026-11-28T10:00:00Z")
                .put("lastModified", "2026-11-28T10:00:01Z").put("version", "W/\"2\"")
                .put("location", "https://scim.example.com/scim/v2/Users/" + id);
        return user;
    }

    private static ScimEvent event(String tenant, String userId, EventType type, JsonNode before, JsonNode after, Instant at) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), tenant, ResourceType.USER, userId, type, 2, before, after,
                new Actor("tok_bench", "Okta SCIM Client"), "req-" + UUID.randomUUID(), at, at.plusMillis(1), ScimEvent.SCHEMA_VERSION);
    }

    private static Process startService(String bootstrap, String jdbcUrl, String group, Path log, int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(JVM.trim().split("\\s+")));
        command.addAll(List.of("-jar", Path.of("target", "audit-service-exec.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        environment.put("SPRING_DATASOURCE_URL", jdbcUrl);
        environment.put("SPRING_DATASOURCE_USERNAME", "postgres");
        environment.put("SPRING_DATASOURCE_PASSWORD", "postgres");
        environment.put("SPRING_KAFKA_CONSUMER_GROUP_ID", group);
        environment.put("SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256", "0".repeat(64));
        for (String setting : ENV.trim().split("\\s+")) {
            if (setting.contains("=")) {
                environment.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        return builder.start();
    }

    /** PostgreSQL as a deployment runs it: every commit flushed to disk before it is reported. */
    private static EmbeddedPostgres durablePostgres() throws IOException {
        File workDir = new File("target/bench-postgres");
        workDir.mkdirs();
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(workDir)
                .setCleanDataDirectory(true)
                .setLocaleConfig("locale", "C")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
    }

    private static long endOffsets(Admin admin) throws Exception {
        var partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        partitions.forEach(partition -> latest.put(new org.apache.kafka.common.TopicPartition(Topics.EVENTS, partition.partition()),
                org.apache.kafka.clients.admin.OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }

    private static long committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                .filter(offset -> offset != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static long cpuMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).map(Duration::toMillis).orElse(0L);
    }

    /** CPU time of the postmaster and every backend and helper it started (from /proc; Linux only). */
    private static long postgresCpuMillis(long postmaster) {
        long ticks = stat(postmaster).map(AuditConsumptionBenchmark::cpuTicks).orElse(0L);
        File[] processes = new File("/proc").listFiles(file -> file.getName().chars().allMatch(Character::isDigit));
        for (File process : processes == null ? new File[0] : processes) {
            Optional<String[]> stat = stat(Long.parseLong(process.getName()));
            if (stat.isPresent() && Long.parseLong(stat.get()[1]) == postmaster) {
                ticks += cpuTicks(stat.get());
            }
        }
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    private static long parentOf(long pid) {
        return stat(pid).map(fields -> Long.parseLong(fields[1])).orElseThrow();
    }

    /** The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ..., [11] utime, [12] stime. */
    private static Optional<String[]> stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static long cpuTicks(String[] fields) {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
