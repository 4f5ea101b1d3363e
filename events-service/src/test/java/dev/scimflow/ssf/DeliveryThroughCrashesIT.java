package dev.scimflow.ssf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.ssf.RunningEventsService.Tenant;
import dev.scimflow.ssf.token.ScimSets;
import dev.scimflow.testing.TestInfrastructure;

/**
 * The events service as a real process (its executable jar), killed with SIGKILL in the middle of a stream while events
 * keep coming, then restarted while its receiver is down, then the receiver comes back: every SET arrives at least once,
 * in order per resource, and every redelivery carries the jti the SET had the first time.
 */
class DeliveryThroughCrashesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int USERS = 10;
    private static final int VERSIONS = 30;

    private final int port = freePort();
    private Process service;

    @AfterEach
    void stopService() throws InterruptedException {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void everySetArrivesInOrderPerResourceWithItsJtiThroughSigkillAndAReceiverOutage() throws Exception {
        Tenant tenant = RunningEventsService.newTenant();
        startService();
        try (TestReceiver receiver = new TestReceiver("http://127.0.0.1:" + port + "/ssf/jwks").start()) {
            String streamId = EventCodec.mapper().readTree(post("/ssf/streams", tenant.token(), """
                    {"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"%s"},
                     "events_requested":["urn:ietf:params:scim:event:prov:create:full","urn:ietf:params:scim:event:prov:patch:full",
                                         "urn:ietf:params:scim:event:prov:deactivate"]}""".formatted(receiver.url()))).get("stream_id")
                    .asString();
            List<ScimEvent> events = lifecycles(tenant.name());
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (ScimEvent event : events) {
                    RunningEventsService.publish(event);
                }
            });

            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted().size() >= events.size() / 5);
            service.destroyForcibly();
            service.waitFor(20, TimeUnit.SECONDS);
            int beforeCrash = receiver.accepted().size();
            receiver.down(true);
            startService();
            publishing.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.attempted().size() > beforeCrash + 2);
            receiver.down(false);

            Set<String> expected = new HashSet<>();
            events.forEach(event -> expected.add(ScimSets.jti(streamId, event.eventId())));
            await().atMost(Duration.ofSeconds(120)).until(() -> receiver.accepted().stream().map(TestReceiver.ReceivedSet::jti)
                    .collect(java.util.stream.Collectors.toSet()).containsAll(expected));
            assertThat(receiver.invalid()).isZero();
            assertThat(receiver.accepted()).extracting(TestReceiver.ReceivedSet::jti).allMatch(expected::contains);
            assertThat(receiver.attempted()).allMatch(expected::contains);
            PushDeliveryIT.assertInOrderPerResource(receiver.accepted());
        }
    }

    /** {@value #USERS} users, each created, renamed {@value #VERSIONS} - 2 times and deactivated, interleaved. */
    private static List<ScimEvent> lifecycles(String tenant) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        List<ScimEvent> events = new ArrayList<>();
        for (int version = 1; version <= VERSIONS; version++) {
            for (String id : ids) {
                boolean last = version == VERSIONS;
                events.add(version == 1
                        ? RunningEventsService.userEvent(tenant, id, EventType.CREATED, 1, null,
                                RunningEventsService.user(id, "u0-" + id, true, 1))
                        : RunningEventsService.userEvent(tenant, id, EventType.PATCHED, version,
                                RunningEventsService.user(id, "u" + (version - 2) + "-" + id, true, version - 1),
                                RunningEventsService.user(id, "u" + (version - 1) + "-" + id, !last, version)));
            }
        }
        return events;
    }

    private void startService() throws IOException {
        File log = Path.of("target", "events-service-crash-it.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", Path.of("target", "events-service-exec.jar").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().putAll(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", TestInfrastructure.kafkaBootstrapServers(),
                "SPRING_DATASOURCE_URL", RunningEventsService.DATABASE.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", RunningEventsService.DATABASE.username(),
                "SPRING_DATASOURCE_PASSWORD", RunningEventsService.DATABASE.password(),
                "SERVER_PORT", Integer.toString(port),
                "SCIMFLOW_EVENTS_SUPERVISOR_INTERVAL", "200ms",
                "SCIMFLOW_EVENTS_PUSH_INITIAL_BACKOFF", "100ms",
                "SCIMFLOW_EVENTS_PUSH_MAX_BACKOFF", "500ms",
                // the killed process's consumer holds its group's partitions until its session times out (45 s by
                // default): the restarted service's consumer waits in a rebalance until then, and a stop in between
                // waits out the 10 s shutdown phase for it; 10 s (heartbeats every 2 s) is enough here
                "SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "10000",
                "SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "2000"));
        service = builder.start();
        Process started = service;
        await("events service ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("the events service exited; see " + log);
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private String post(String path, String token, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
