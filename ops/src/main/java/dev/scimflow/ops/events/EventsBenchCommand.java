package dev.scimflow.ops.events;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;

import dev.scimflow.bench.CpuTable;
import dev.scimflow.bench.ScimClient;
import dev.scimflow.ops.Json;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.stack.Credentials;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.StackFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code scimflow events bench}: how long a deactivation takes to reach a push receiver through the whole pipeline.
 * Creates users, subscribes an in-process receiver (which verifies every SET's signature against the JWK set) to
 * deactivations, then deactivates the users by PATCH at a fixed rate and measures, per user, the time from sending the
 * PATCH to its SET arriving. Optionally kills the events service with SIGKILL (the stack restarts it) and takes the
 * receiver down for a while, and then checks that every deactivation arrived — once per jti, never lost.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
        "Measures deactivation -> SET received latency through a running stack (scimflow up), at a fixed rate,",
        "optionally through a SIGKILL of the events service and a receiver outage; checks that nothing is lost."})
public final class EventsBenchCommand implements java.util.concurrent.Callable<Integer> {

    private static final String DEACTIVATE = "urn:ietf:params:scim:event:prov:deactivate";
    private static final int WINDOW_SECONDS = 5;
    private static final int RECEIVER_WARMUP = 5_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".scimflow", description = "The running stack (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--users", defaultValue = "3000", description = "Users to create and then deactivate, each once, measured (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--rate", defaultValue = "100", description = "Deactivations per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--concurrency", defaultValue = "64", description = "Most PATCH requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--kill-events-at", paramLabel = "SECONDS", description = "SIGKILL the events service this many seconds into the measured deactivations.")
    Integer killAt;

    @Option(names = "--receiver-down-at", paramLabel = "SECONDS", description = "Take the receiver down (503) this many seconds into the measured deactivations...")
    Integer downAt;

    @Option(names = "--receiver-down-for", paramLabel = "SECONDS", defaultValue = "60", description = "...for this long (default: ${DEFAULT-VALUE}).")
    int downFor;

    @Option(names = "--direct", description = "Measure the events service alone: publish deactivations straight to scim.events"
            + " (as the worker does, no ingress, worker or users) and time publish -> SET received.")
    boolean direct;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "600", description = "How long to wait for the last SETs (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "15", description = {"Deactivations at the rate for this long"
            + " before the --users measured ones, of users of their own: they warm up the stack's path, the stream and the receiver"
            + " (compiled, as in a system that has been running), are checked like the others, and are left out of the latencies"
            + " and the CPU (default: ${DEFAULT-VALUE}; 0 for none)."})
    int warmupSeconds;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    private final Set<String> jtis = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger invalid = new AtomicInteger();
    private final AtomicInteger refusedWhileDown = new AtomicInteger();
    private volatile boolean down;
    private volatile JWKSet keys = new JWKSet();
    private volatile CpuTable cpu;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DataDir dir = new DataDir(dataDir);
        StackFile stack = StackFile.read(dir).orElseThrow(() -> new OperatorError("no running stack in " + dir.root()));
        Integer eventsPort = stack.ports().get("events");
        if (eventsPort == null) {
            throw new OperatorError("the stack in " + dir.root() + " runs no events service");
        }
        String scim = stack.scimBaseUrl();
        String events = "http://127.0.0.1:" + eventsPort;
        String token = Credentials.load(dir.credentials()).tenants().get("default").token();
        out.println("load average before: " + loadAverage());

        Thread receiverWarmUp = warmUpReceiver();
        String run = UUID.randomUUID().toString().substring(0, 8);
        int warmups = warmupSeconds * rate;
        List<String> ids = new ArrayList<>();
        ScimClient client = ScimClient.start(scim, Duration.ofSeconds(60), Math.max(16, concurrency), "events-bench-" + run);
        if (direct) {
            for (int i = 0; i < warmups + users; i++) {
                ids.add(UUID.randomUUID().toString());
            }
        } else {
            ids = createUsers(client, token, run, warmups + users, out);
        }
        List<String> measured = ids.subList(Math.min(warmups, ids.size()), ids.size());
        receiverWarmUp.join();
        HttpServer receiver = receiver(events);
        String stream = post(events + "/ssf/streams", token, """
                {"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"http://127.0.0.1:%d/events"},
                 "events_requested":["%s"],"description":"scimflow events bench %s"}"""
                .formatted(receiver.getAddress().getPort(), DEACTIVATE, run)).get("stream_id").asString();
        try {
            Runnable measuring = () -> cpu = CpuTable.start(() -> StackFile.pids(dir));
            if (direct) {
                publishDeactivations(stack.kafkaBootstrap(), ids, warmups, measuring, out);
            } else {
                deactivate(client, token, ids, warmups, measuring, stack, out);
            }
            Instant deadline = Instant.now().plusSeconds(waitSeconds);
            while (receivedAt.size() < ids.size() && Instant.now().isBefore(deadline)) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            if (warmups > 0) {
                out.printf("the first %d deactivations (%d s) warmed up and are left out of the latencies and the CPU below%n",
                        ids.size() - measured.size(), warmupSeconds);
            }
            report(out, ids, measured);
            if (cpu != null) {
                out.print(cpu.table(measured.size()).replace("requests answered", "deactivations measured")
                        .replace("cpu ms/request", "cpu ms/deact."));
            }
            // the service's own view: from the worker committing a change to its SET delivered (last minute or so)
            call("GET", events + "/actuator/prometheus", token, null).body().lines()
                    .filter(line -> line.startsWith("scimflow_events_delivery_lag_seconds{") && line.contains("quantile"))
                    .forEach(line -> out.println("events service: " + line));
        } finally {
            call("DELETE", events + "/ssf/streams?stream_id=" + stream, token, null);
            receiver.stop(0);
            client.stop();
        }
        out.println("load average after: " + loadAverage());
        out.flush();
        return receivedAt.size() == ids.size() && invalid.get() == 0 ? 0 : 1;
    }

    private List<String> createUsers(ScimClient client, String token, String run, int count, PrintWriter out) throws Exception {
        Instant start = Instant.now();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String body = """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"evbench-%s-%d@example.com","active":true}"""
                    .formatted(run, i);
            all.add(client.send(token, "POST", "/Users", body).thenAccept(response -> {
                inFlight.release();
                if (response.status() == 201) {
                    ids.add(Json.MAPPER.readTree(response.body()).get("id").asString());
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        out.printf("created %d users in %.1f s%n", ids.size(), Duration.between(start, Instant.now()).toMillis() / 1000.0);
        out.flush();
        return List.copyOf(ids);
    }

    /**
     * Deactivates the users at the rate, open loop; the first {@code warmups} warm up, and {@code measuring} runs when the
     * first measured one is due. The times of the kill and the receiver's outage count from then.
     */
    private void deactivate(ScimClient client, String token, List<String> ids, int warmups, Runnable measuring, StackFile stack,
                            PrintWriter out)
            throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        AtomicLong failed = new AtomicLong();
        boolean killed = false;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (i == warmups) {
                measuring.run();
            }
            double elapsed = (System.nanoTime() - start) / 1e9 - warmupSeconds;
            if (killAt != null && !killed && elapsed >= killAt) {
                killed = true;
                long pid = stack.process("events-service").orElseThrow().pid();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                out.printf("%.1f s: killed the events service (pid %d) with SIGKILL%n", elapsed, pid);
            }
            if (downAt != null) {
                down = elapsed >= downAt && elapsed < downAt + downFor;
            }
            inFlight.acquire();
            String id = ids.get(i);
            sentAt.put(id, System.nanoTime());
            all.add(client.send(token, "PATCH", "/Users/" + id, ScimClient.activePatch(false))
                    .handle((response, failure) -> {
                        inFlight.release();
                        if (failure == null && response.status() == 200) {
                            answeredAt.put(id, System.nanoTime());
                        } else {
                            failed.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("deactivated %d users in %.1f s (%.1f/s offered %d/s); %d PATCH failures%n", answeredAt.size(), seconds,
                answeredAt.size() / seconds, rate, failed.get());
        while (downAt != null && down && (System.nanoTime() - start) / 1e9 - warmupSeconds < downAt + downFor) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        down = false;
        out.flush();
    }

    /** Deactivation facts for made-up users of the default tenant, at the rate, as the worker would publish them. */
    private void publishDeactivations(String bootstrap, List<String> ids, int warmups, Runnable measuring, PrintWriter out)
            throws Exception {
        java.util.Properties config = new java.util.Properties();
        config.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        config.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, "1");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(config,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int i = 0; i < ids.size(); i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (i == warmups) {
                    measuring.run();
                }
                String id = ids.get(i);
                Instant now = Instant.now();
                var before = Json.MAPPER.createObjectNode().put("id", id).put("userName", "evbench-" + id).put("active", true);
                var after = before.deepCopy().put("active", false);
                UUID changeId = UUID.randomUUID();
                var event = new dev.scimflow.events.ScimEvent(
                        UUID.nameUUIDFromBytes((changeId + ":PATCHED").getBytes(StandardCharsets.UTF_8)),
                        changeId, "default", dev.scimflow.events.ResourceType.USER, id, dev.scimflow.events.EventType.PATCHED, 2, before,
                        after,
                        new dev.scimflow.events.Actor("bench", "scimflow events bench"), "bench", now, now,
                        dev.scimflow.events.ScimEvent.SCHEMA_VERSION);
                sentAt.put(id, System.nanoTime());
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(dev.scimflow.events.Topics.EVENTS, event.key(),
                        dev.scimflow.events.EventCodec.encode(event)), (metadata, failure) -> {
                            if (failure == null) {
                                answeredAt.put(id, System.nanoTime());
                            }
                        });
            }
            producer.flush();
            out.printf("published %d deactivations to scim.events in %.1f s%n", ids.size(), (System.nanoTime() - start) / 1e9);
        }
    }

    /** Arrivals, duplicates and signatures of all the SETs; the latencies of the {@code measured} ones. */
    private void report(PrintWriter out, List<String> ids, List<String> measured) {
        Histogram fromSent = new Histogram(3_600_000_000L, 3);
        Histogram fromAnswer = new Histogram(3_600_000_000L, 3);
        int early = 0;
        for (String id : measured) {
            Long received = receivedAt.get(id);
            Long sent = sentAt.get(id);
            Long answered = answeredAt.get(id);
            if (received != null && sent != null) {
                fromSent.recordValue(Math.max(0, received - sent) / 1_000);
            }
            if (received != null && answered != null) {
                if (received < answered) {
                    early++;
                }
                fromAnswer.recordValue(Math.max(0, received - answered) / 1_000);
            }
        }
        out.printf(
                "SETs received: %d of %d deactivations (warm-up included); %d redelivered (same jti); %d invalid signatures; %d POSTs refused while down%n",
                receivedAt.size(), ids.size(), duplicates.get(), invalid.get(), refusedWhileDown.get());
        String sent = direct ? "published" : "PATCH sent";
        String answered = direct ? "acked by the broker" : "PATCH answered";
        out.printf(sent + " -> SET received (ms), %d measured: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", measured.size(),
                ms(fromSent, 50),
                ms(fromSent, 90), ms(fromSent, 99), ms(fromSent, 99.9), fromSent.getMaxValue() / 1000.0);
        out.printf(answered + " -> SET received (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (%d SETs arrived before that)%n",
                ms(fromAnswer, 50), ms(fromAnswer, 90), ms(fromAnswer, 99), fromAnswer.getMaxValue() / 1000.0, early);
        overTime(out, ids, sent);
    }

    /**
     * The latency of every deactivation, warm-up included, by when it was sent, in windows of {@link #WINDOW_SECONDS}: where
     * in the run it grew.
     */
    private void overTime(PrintWriter out, List<String> ids, String sent) {
        long start = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        Map<Long, Histogram> windows = new java.util.TreeMap<>();
        for (String id : ids) {
            Long received = receivedAt.get(id);
            Long sentNanos = sentAt.get(id);
            if (received != null && sentNanos != null) {
                windows.computeIfAbsent((sentNanos - start) / TimeUnit.SECONDS.toNanos(WINDOW_SECONDS),
                        window -> new Histogram(3_600_000_000L, 3))
                        .recordValue(Math.max(0, received - sentNanos) / 1_000);
            }
        }
        out.println(sent + " -> SET received (ms), by when sent:");
        windows.forEach(
                (window, histogram) -> out.printf("  %4d-%-4d s  %5d SETs  p50 %8.1f  p99 %8.1f  max %8.1f%s%n", window * WINDOW_SECONDS,
                        (window + 1) * WINDOW_SECONDS, histogram.getTotalCount(), ms(histogram, 50), ms(histogram, 99),
                        histogram.getMaxValue() / 1000.0,
                        window * WINDOW_SECONDS < warmupSeconds ? "  (warm-up)" : ""));
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private HttpServer receiver(String events) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext("/events", exchange -> {
            long now = System.nanoTime();
            String jwt = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            int status = 202;
            if (down) {
                status = 503;
                refusedWhileDown.incrementAndGet();
            } else {
                JsonNode claims = verify(jwt, events);
                if (claims == null) {
                    invalid.incrementAndGet();
                    status = 400;
                } else if (claims.path("events").has(DEACTIVATE)) {
                    if (!jtis.add(claims.get("jti").asString())) {
                        duplicates.incrementAndGet();
                    }
                    receivedAt.putIfAbsent(claims.get("sub_id").get("id").asString(), now);
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private JsonNode verify(String jwt, String events) {
        try {
            JWSObject jws = JWSObject.parse(jwt);
            if (keys.getKeyByKeyId(jws.getHeader().getKeyID()) == null) {
                keys = JWKSet.parse(http.send(HttpRequest.newBuilder(URI.create(events + "/ssf/jwks")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
            return claims(jws, (ECKey) keys.getKeyByKeyId(jws.getHeader().getKeyID()));
        } catch (Exception e) {
            return null;
        }
    }

    /** The SET's claims if {@code key} signed it, else null. */
    private static JsonNode claims(JWSObject jws, ECKey key) throws JOSEException {
        return key != null && jws.verify(new ECDSAVerifier(key)) ? Json.MAPPER.readTree(jws.getPayload().toString()) : null;
    }

    /**
     * Verifies signatures of a key of its own {@link #RECEIVER_WARMUP} times, on a thread of its own: the receiver's first
     * SETs are then checked by compiled code, as by a receiver that has been running, instead of queueing behind the JIT.
     */
    private static Thread warmUpReceiver() {
        Thread warmUp = new Thread(() -> {
            try {
                ECKey key = new ECKeyGenerator(Curve.P_256).keyID("warm-up").generate();
                JWSObject set = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("warm-up").build(),
                        new Payload("{\"events\":{\"" + DEACTIVATE + "\":{}}}"));
                set.sign(new ECDSASigner(key));
                String jwt = set.serialize();
                for (int i = 0; i < RECEIVER_WARMUP; i++) {
                    if (claims(JWSObject.parse(jwt), key.toPublicJWK()) == null) {
                        throw new IllegalStateException("a signature of the warm-up key did not verify");
                    }
                }
            } catch (JOSEException | java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }, "receiver-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        return warmUp;
    }

    private JsonNode post(String url, String token, String body) throws Exception {
        HttpResponse<String> response = call("POST", url, token, body);
        if (response.statusCode() != 201) {
            throw new OperatorError("creating the stream answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }

    private HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | UncheckedIOException e) {
            return "(unknown)";
        }
    }
}
