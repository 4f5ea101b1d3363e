package dev.scimflow.ops.stack;

import static dev.scimflow.ops.stack.TestStacks.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.ops.monitoring.MonitoringFiles;
import dev.scimflow.ops.recovery.KafkaClients;
import dev.scimflow.ops.stack.ScimCalls.Reply;
import dev.scimflow.ops.stack.TestStacks.Cli;
import tools.jackson.databind.JsonNode;

/**
 * {@code java -jar target/scimflow.jar up} as an operator runs it, and the README's walk-through against the whole
 * stack it starts: it prints exactly one line to stdout when ready; a user is created, read and deactivated, the audit
 * log holds exactly one deactivation and a subscribed receiver is told in a SET, and every metric the alert rules and
 * the Grafana dashboard of {@code monitoring/} read is found at the services' {@code /actuator/prometheus}; SIGTERM
 * stops it within 15 s with no process left; a tenant added while it is down can provision after the next {@code up},
 * which finds the user, the audit record and both tokens still good; a stack killed together with its watchdog is
 * cleaned up by the next {@code up} on the same data directory, and one killed alone is stopped by its watchdog.
 *
 * <p>Each start of the whole stack costs about half a minute of CI's two cores, so the tests share one data directory
 * and run in order, each leaving the stack as the next one needs it: three {@code up}s in all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpCommandIT {

    private static final Duration READY_WITHIN = Duration.ofMinutes(4);
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(15);
    /** Meters a service registers only when the first such thing happens; the tests named read each one. */
    private static final Map<String, String> REGISTERED_ON_FIRST_OCCURRENCE = Map.of(
            "scimflow_changes_dead_lettered_total", "CrashReplayRebuildIT (system-tests)",
            "scimflow_ingress_refused_total", "IngressIT, RateLimitIT (scim-ingress)");

    private static final List<Process> STARTED = new ArrayList<>();
    private static final List<String> RUNS = new ArrayList<>();
    private static StackOptions options;
    private static SetReceiver receiver;
    /** The {@code up} running now, if any. */
    private static Up running;
    private static ReadyLine firstReady;
    private static String userUrl;
    private static String userId;
    private static String acmeToken;

    /** One run of the command, its stdout collected line by line. */
    private record Up(Process process, List<String> stdout) {

        String readyLine() {
            return stdout.stream().filter(line -> line.startsWith(ReadyLine.PREFIX)).findFirst().orElseThrow();
        }
    }

    @BeforeAll
    static void dataDirectory() {
        options = TestStacks.options(TestStacks.newDataDir("up-command"), EnumSet.allOf(Service.class));
        receiver = new SetReceiver();
    }

    @AfterAll
    static void killWhatIsLeft() throws Exception {
        STARTED.forEach(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
        receiver.close();
        if (STARTED.stream().noneMatch(Process::isAlive)) {
            TestStacks.deleteDataDir(options.dataDir());
            for (String run : RUNS) {
                Files.deleteIfExists(stderrOf(run));
            }
        }
    }

    private static Path stderrOf(String name) {
        return options.dataDir().resolveSibling(options.dataDir().getFileName() + "-" + name + ".err");
    }

    private static Up up(String name) throws Exception {
        Path stderr = stderrOf(name);
        RUNS.add(name);
        Files.createDirectories(stderr.getParent());
        Process process = new ProcessBuilder(JavaProcess.javaExecutable(), "-cp",
                Path.of("target", "scimflow.jar") + java.io.File.pathSeparator + Path.of("target", "lib", "*"), "dev.scimflow.ops.Main",
                "up", "--data-dir", options.dataDir().toString(),
                "--ingress-port", Integer.toString(options.ingressPort()), "--audit-port", Integer.toString(options.auditPort()),
                "--worker-port", Integer.toString(options.workerPort()), "--kafka-port", Integer.toString(options.kafkaPort()),
                "--kafka-controller-port", Integer.toString(options.kafkaControllerPort()),
                "--postgres-port", Integer.toString(options.postgresPort()), "--events-port", Integer.toString(options.eventsPort()))
                .redirectError(stderr.toFile())
                .start();
        STARTED.add(process);
        List<String> stdout = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(stdout::add);
            } catch (java.io.IOException ignored) {
                // the process is gone
            }
        }, "up-stdout");
        reader.setDaemon(true);
        reader.start();
        await().atMost(READY_WITHIN).until(() -> !process.isAlive()
                || stdout.stream().anyMatch(line -> line.startsWith(ReadyLine.PREFIX)));
        assertThat(process.isAlive()).as("scimflow up exited early; its stderr:%n%s", Files.readString(stderr)).isTrue();
        return new Up(process, stdout);
    }

    @Test
    @Order(1)
    void printsOneReadyLineAndRunsEveryServiceWithTheJvmOptionsAndItsArchive() throws Exception {
        running = up("first");

        assertThat(running.stdout()).hasSize(1);
        firstReady = ReadyLine.parse(running.readyLine());
        assertThat(firstReady.scimBaseUrl()).isEqualTo("http://127.0.0.1:" + options.ingressPort() + "/scim/v2");
        assertThat(firstReady.tenant()).isEqualTo("default");
        assertThat(firstReady.eventsUrl()).isEqualTo("http://127.0.0.1:" + options.eventsPort());
        assertThat(everyProcessOf(running)).hasSizeGreaterThanOrEqualTo(6); // broker, four services, PostgreSQL
        for (Service service : Service.values()) {
            ProcessHandle process = ProcessHandle.of(StackFile.read(new DataDir(options.dataDir())).orElseThrow()
                    .process(service.module()).orElseThrow().pid()).orElseThrow();
            assertThat(List.of(process.info().arguments().orElseThrow())).as("%s runs with the JVM options and its archive", service)
                    .containsSubsequence(JvmOptions.longRunning())
                    .anySatisfy(argument -> assertThat(argument).startsWith("-XX:SharedArchiveFile="));
        }
    }

    @Test
    @Order(2)
    void theWalkThroughProvisionsAUserAuditsItsDeactivationOnceTellsASubscriberAndExposesEveryMonitoredMetric() throws Exception {
        ScimCalls scim = new ScimCalls(firstReady);
        Reply subscribed = scim.subscribeToDeactivations(firstReady.token(), receiver.url());
        assertThat(subscribed.status()).as("%s", subscribed.body()).isEqualTo(201);

        Reply created = scim.createUser(firstReady.token(), "alice@example.com");
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.location()).startsWith(firstReady.scimBaseUrl() + "/Users/");
        userUrl = created.location();
        userId = created.body().get("id").asString();

        Reply read = scim.get(firstReady.token(), userUrl);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("userName").asString()).isEqualTo("alice@example.com");

        Reply patched = scim.deactivate(firstReady.token(), userUrl);
        assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);
        assertThat(patched.body().get("active").asBoolean()).isFalse();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deactivationsOf(scim, userId)).hasSize(1));
        // the events service told the subscribed receiver, in a SET
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(receiver.claims())
                .anySatisfy(claims -> {
                    assertThat(claims.get("sub_id").get("id").asString()).isEqualTo(userId);
                    assertThat(claims.get("events").has("urn:ietf:params:scim:event:prov:deactivate")).isTrue();
                }));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(UpCommandIT::theMetricsTheMonitoringReadsAreExposed);
    }

    @Test
    @Order(3)
    void stopsEverythingWithin15SecondsOfSigterm() throws Exception {
        List<ProcessHandle> processes = everyProcessOf(running);
        Instant sigterm = Instant.now();
        running.process().destroy();

        assertThat(running.process().waitFor(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("scimflow up still running %s after SIGTERM", STOPPED_WITHIN).isTrue();
        assertThat(Duration.between(sigterm, Instant.now())).isLessThan(STOPPED_WITHIN);
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(new DataDir(options.dataDir()).stackFile()).doesNotExist();
        running = null;
    }

    @Test
    @Order(4)
    void aUserAndItsDeactivationSurviveARestartAndATenantAddedWhileStoppedCanProvision() throws Exception {
        Cli acme = cli("tenant", "create", "acme", "--data-dir", options.dataDir().toString());
        assertThat(acme.exitCode()).as(acme.err()).isZero();
        acmeToken = acme.field("token");

        running = up("restarted");
        assertThat(ReadyLine.parse(running.readyLine())).isEqualTo(firstReady);
        ScimCalls scim = new ScimCalls(firstReady);

        Reply read = scim.get(firstReady.token(), userUrl);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("active").asBoolean()).isFalse();
        // still one: replaying nothing twice on restart
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(deactivationsOf(scim, userId)).hasSize(1));
        // the audit records a deactivation once however often it is told, so ask the log itself: a change applied again
        // would have made a fact of its own (a new event id for the same change id)
        assertThat(factsAbout(userId)).as("event ids on scim.events about the user, by change id").hasSize(2)
                .allSatisfy((change, events) -> assertThat(events).hasSize(1));

        Reply acmeUser = scim.createUser(acmeToken, "bob@acme.example");
        assertThat(acmeUser.status()).as("%s", acmeUser.body()).isEqualTo(201);
        assertThat(scim.get(acmeToken, acmeUser.location()).status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void aStackKilledOutrightIsStoppedByItsWatchdogOrElseByTheNextUp() throws Exception {
        DataDir dataDir = new DataDir(options.dataDir());

        // up and its watchdog both killed: the parts run on, in sessions of their own, until the next up stops them
        Up killed = running;
        List<ProcessHandle> orphans = everyProcessOf(killed);
        ProcessHandle watchdog = orphans.stream().filter(UpCommandIT::isWatchdog).findFirst().orElseThrow();
        watchdog.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !watchdog.isAlive());
        killed.process().destroyForcibly().waitFor();
        orphans.remove(watchdog);
        assertThat(orphans).allMatch(ProcessHandle::isAlive);

        running = up("next");
        Up next = running;
        assertThat(orphans).noneMatch(ProcessHandle::isAlive);
        assertThat(ReadyLine.parse(next.readyLine())).isEqualTo(ReadyLine.parse(killed.readyLine()));
        assertThat(Files.readString(stderrOf("next"))).contains("left running by a stack that did not shut down cleanly");

        // up alone killed: its watchdog stops every part and frees the data directory
        List<ProcessHandle> parts = everyProcessOf(next);
        assertThat(parts).anyMatch(UpCommandIT::isWatchdog);
        next.process().destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(parts).noneMatch(ProcessHandle::isAlive));
        running = null;
        assertThat(dataDir.stackFile()).doesNotExist();
        assertThat(DataDirLock.isHeld(dataDir)).isFalse();
        assertThat(Files.readString(dataDir.log("watchdog"))).contains("ended without stopping its stack")
                .contains("left running by a stack that did not shut down cleanly");
    }

    private static boolean isWatchdog(ProcessHandle process) {
        return process.info().arguments().map(arguments -> List.of(arguments).contains(Watchdog.class.getName())).orElse(false);
    }

    /** The command's descendants, and PostgreSQL, which pg_ctl starts detached. */
    private static List<ProcessHandle> everyProcessOf(Up up) {
        List<ProcessHandle> processes = new ArrayList<>(up.process().descendants().toList());
        LocalPostgres.postmasterOf(new DataDir(options.dataDir())).ifPresent(postmaster -> {
            processes.add(postmaster);
            processes.addAll(postmaster.descendants().toList());
        });
        return processes;
    }

    private static void theMetricsTheMonitoringReadsAreExposed() throws Exception {
        Set<String> exposed = new TreeSet<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int port : List.of(options.ingressPort(), options.workerPort(), options.auditPort(), options.eventsPort())) {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            exposed.addAll(MonitoringFiles.exposedNames(scrape.body()));
        }
        Set<String> read = new TreeSet<>(MonitoringFiles.metricNames());
        assertThat(read).as("the rules and the dashboard read these").containsAll(REGISTERED_ON_FIRST_OCCURRENCE.keySet());
        read.removeAll(MonitoringFiles.PROMETHEUS_OWN);
        read.removeAll(REGISTERED_ON_FIRST_OCCURRENCE.keySet());
        assertThat(exposed).as("metrics the alert rules and the dashboard read").containsAll(read);
    }

    /** The event ids {@code scim.events} holds about the user, by the change that made them, read to the topic's end. */
    private static Map<UUID, Set<UUID>> factsAbout(String userId) {
        Map<UUID, Set<UUID>> facts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> reader = KafkaClients.reader(firstReady.kafkaBootstrap())) {
            KafkaClients.readAll(reader, Topics.EVENTS, record -> {
                ScimEvent event = EventCodec.event(record.value());
                if (event.resourceId().equals(userId)) {
                    facts.computeIfAbsent(event.changeId(), change -> new HashSet<>()).add(event.eventId());
                }
            });
        }
        return facts;
    }

    private static List<JsonNode> deactivationsOf(ScimCalls scim, String userId) {
        Reply page = scim.deactivations();
        assertThat(page.status()).isEqualTo(200);
        return StreamSupport.stream(page.body().get("items").spliterator(), false)
                .filter(item -> item.get("userId").asString().equals(userId))
                .filter(item -> item.get("action").asString().equals("DEACTIVATED"))
                .toList();
    }
}
