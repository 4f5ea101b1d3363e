package dev.scimflow.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import tools.jackson.databind.JsonNode;

/**
 * Follows a sample of successful deactivations to the audit log: from the PATCH's 2xx, polls the audit API for the
 * user's deactivation until it is listed. At most {@code maxPending} are followed at once, so that the polling stays a
 * small part of the load.
 */
final class AuditLag {

    private static final Duration CLOCK_SLACK = Duration.ofMillis(5);

    private final HttpClient http;
    private final String auditUrl;
    private final String operatorToken;
    private final int maxSamples;
    private final int maxPending;
    private final Duration poll;
    private final Duration giveUp;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-audit-lag");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger sampled = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final Histogram acceptToApplied = Latency.newMicrosHistogram();
    private final Histogram acceptToAudit = Latency.newMicrosHistogram();
    private final Histogram changedToRecorded = Latency.newMicrosHistogram();

    AuditLag(HttpClient http, String auditUrl, String operatorToken, int maxSamples, int maxPending, Duration poll,
             Duration giveUp) {
        this.http = http;
        this.auditUrl = auditUrl.replaceAll("/+$", "");
        this.operatorToken = operatorToken;
        this.maxSamples = maxSamples;
        this.maxPending = maxPending;
        this.poll = poll;
        this.giveUp = giveUp;
    }

    /** A deactivation answered 2xx at {@code acceptedNanos}, {@code responseNanos} after it was (meant to be) sent. */
    void track(Tenant tenant, Tenant.User user, long acceptedNanos, long responseNanos) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return;
        }
        if (sampled.incrementAndGet() > maxSamples) {
            sampled.decrementAndGet();
            pending.decrementAndGet();
            return;
        }
        record(acceptToApplied, responseNanos / 1000);
        Instant sentAt = Instant.now().minusNanos(System.nanoTime() - acceptedNanos + responseNanos).minus(CLOCK_SLACK);
        URI query = URI.create(auditUrl + "/api/v1/deactivations?limit=5&action=DEACTIVATED&tenant="
                + URLEncoder.encode(tenant.name, StandardCharsets.UTF_8) + "&userName="
                + URLEncoder.encode(user.userName, StandardCharsets.UTF_8));
        scheduler.execute(() -> poll(query, user.id, sentAt, acceptedNanos));
    }

    private void poll(URI query, String userId, Instant sentAt, long acceptedNanos) {
        HttpRequest request = HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + operatorToken).header("Accept", "application/json").build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            long now = System.nanoTime();
            JsonNode found = failure == null && response.statusCode() == 200 ? find(response.body(), userId, sentAt) : null;
            if (found != null) {
                record(acceptToAudit, (now - acceptedNanos) / 1000);
                Instant changedAt = Instant.parse(found.path("changedAt").asString());
                Instant recordedAt = Instant.parse(found.path("recordedAt").asString());
                record(changedToRecorded, Math.max(0, Duration.between(changedAt, recordedAt).toNanos() / 1000));
                seen.incrementAndGet();
                pending.decrementAndGet();
            } else if (now - acceptedNanos > giveUp.toNanos()) {
                missed.incrementAndGet();
                pending.decrementAndGet();
            } else {
                scheduler.schedule(() -> poll(query, userId, sentAt, acceptedNanos), poll.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** The newest listed deactivation of the user that was made at or after {@code sentAt}, if there is one. */
    static JsonNode find(String page, String userId, Instant sentAt) {
        for (JsonNode item : BenchJson.MAPPER.readTree(page).path("items")) {
            if (userId.equals(item.path("userId").asString()) && "DEACTIVATED".equals(item.path("action").asString())
                    && !Instant.parse(item.path("changedAt").asString()).isBefore(sentAt)) {
                return item;
            }
        }
        return null;
    }

    /** Waits up to {@code wait} for the deactivations still followed, then sums up. */
    BenchResults.ApplyLag finish(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        scheduler.shutdownNow();
        long stillPending = pending.get();
        synchronized (this) {
            return new BenchResults.ApplyLag(sampled.get(), seen.get(), missed.get() + stillPending, poll.toMillis(),
                    Latency.ofMicros(acceptToApplied), Latency.ofMicros(acceptToAudit), Latency.ofMicros(changedToRecorded));
        }
    }

    private synchronized void record(Histogram histogram, long micros) {
        histogram.recordValue(Math.min(Math.max(micros, 1), histogram.getHighestTrackableValue()));
    }
}
