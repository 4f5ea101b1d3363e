package dev.scimflow.ops.stack;

import static dev.scimflow.ops.stack.TestStacks.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import dev.scimflow.ops.Installation;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.monitoring.MonitoringFiles;
import dev.scimflow.ops.stack.ScimCalls.Reply;
import dev.scimflow.ops.stack.TestStacks.Cli;
import tools.jackson.databind.JsonNode;

/**
 * The README's walk-through against the whole local stack, started the way {@code scimflow up} starts it: create a
 * user, read it, deactivate it, find exactly one deactivation in the audit log; then stop, add a tenant while the stack
 * is down, start again, and find the user, the audit record and both tokens still good. On the way, every metric the
 * alert rules and the Grafana dashboard of {@code monitoring/} read is found at the services' {@code /actuator/prometheus}.
 */
class LocalStackIT {

    /** Meters a service registers only when the first such thing happens; the tests named read each one. */
    private static final Map<String, String> REGISTERED_ON_FIRST_OCCURRENCE = Map.of(
            "scimflow_changes_dead_lettered_total", "CrashReplayRebuildIT (system-tests)",
            "scimflow_ingress_refused_total", "IngressIT, RateLimitIT (scim-ingress)");

    @Test
    void aUserAndItsDeactivationSurviveARestartAndATenantAddedWhileStoppedCanProvision() throws Exception {
        StackOptions options = TestStacks.options(TestStacks.newDataDir("local-stack"), EnumSet.allOf(Service.class));
        SetReceiver receiver = new SetReceiver();
        ReadyLine ready;
        String userUrl;
        String userId;
        try (LocalStack stack = LocalStack.start(options, Installation.current(), Progress.stderr())) {
            ready = stack.readyLine();
            ScimCalls scim = new ScimCalls(ready);
            for (Service service : Service.values()) {
                ProcessHandle process = ProcessHandle.of(StackFile.read(stack.dataDir()).orElseThrow().process(service.module())
                        .orElseThrow().pid()).orElseThrow();
                assertThat(List.of(process.info().arguments().orElseThrow())).as("%s runs with the JVM options and its archive", service)
                        .containsSubsequence(JvmOptions.longRunning())
                        .anySatisfy(argument -> assertThat(argument).startsWith("-XX:SharedArchiveFile="));
            }
            Reply subscribed = scim.subscribeToDeactivations(ready.token(), receiver.url());
            assertThat(subscribed.status()).as("%s", subscribed.body()).isEqualTo(201);

            Reply created = scim.createUser(ready.token(), "alice@example.com");
            assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
            assertThat(created.location()).startsWith(ready.scimBaseUrl() + "/Users/");
            userUrl = created.location();
            userId = created.body().get("id").asString();

            Reply read = scim.get(ready.token(), userUrl);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().get("userName").asString()).isEqualTo("alice@example.com");

            Reply patched = scim.deactivate(ready.token(), userUrl);
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);
            assertThat(patched.body().get("active").asBoolean()).isFalse();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deactivationsOf(scim, userId)).hasSize(1));
            // the events service told the subscribed receiver, in a SET
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(receiver.claims())
                    .anySatisfy(claims -> {
                        assertThat(claims.get("sub_id").get("id").asString()).isEqualTo(userId);
                        assertThat(claims.get("events").has("urn:ietf:params:scim:event:prov:deactivate")).isTrue();
                    }));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> theMetricsTheMonitoringReadsAreExposed(options));
        }

        Cli acme = cli("tenant", "create", "acme", "--data-dir", options.dataDir().toString());
        assertThat(acme.exitCode()).as(acme.err()).isZero();
        String acmeToken = acme.field("token");

        try (LocalStack stack = LocalStack.start(options, Installation.current(), Progress.stderr())) {
            assertThat(stack.readyLine()).isEqualTo(ready);
            ScimCalls scim = new ScimCalls(stack.readyLine());

            Reply read = scim.get(ready.token(), userUrl);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().get("active").asBoolean()).isFalse();
            // still one: replaying nothing twice on restart
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(deactivationsOf(scim, userId)).hasSize(1));

            Reply acmeUser = scim.createUser(acmeToken, "bob@acme.example");
            assertThat(acmeUser.status()).as("%s", acmeUser.body()).isEqualTo(201);
            assertThat(scim.get(acmeToken, acmeUser.location()).status()).isEqualTo(200);
        }
        receiver.close();
        TestStacks.deleteDataDir(options.dataDir());
    }

    private static void theMetricsTheMonitoringReadsAreExposed(StackOptions options) throws Exception {
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

    private static List<JsonNode> deactivationsOf(ScimCalls scim, String userId) {
        Reply page = scim.deactivations();
        assertThat(page.status()).isEqualTo(200);
        return StreamSupport.stream(page.body().get("items").spliterator(), false)
                .filter(item -> item.get("userId").asString().equals(userId))
                .filter(item -> item.get("action").asString().equals("DEACTIVATED"))
                .toList();
    }
}
