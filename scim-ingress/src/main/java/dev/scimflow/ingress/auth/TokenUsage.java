package dev.scimflow.ingress.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.scimflow.store.TenantTokens;
import jakarta.annotation.PreDestroy;

/**
 * Records when each token was last used, for operators deciding what to rotate or revoke, without a database
 * write per request: each instance writes a token's {@code last_used_at} at most once per {@link #INTERVAL}, on a
 * background thread. If the queue is full (database slow), a record is dropped: it is a hint, not an audit.
 */
@Component
public class TokenUsage {

    public static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(TokenUsage.class);

    private final TenantTokens tokens;
    private final Map<String, Instant> recorded = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000), runnable -> {
                Thread thread = new Thread(runnable, "token-last-used");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());

    TokenUsage(TenantTokens tokens) {
        this.tokens = tokens;
    }

    void used(String tokenId) {
        Instant now = Instant.now();
        Instant previous = recorded.get(tokenId);
        if (previous != null && previous.plus(INTERVAL).isAfter(now)) {
            return;
        }
        boolean mine = previous == null ? recorded.putIfAbsent(tokenId, now) == null : recorded.replace(tokenId, previous, now);
        if (mine) {
            writer.execute(() -> record(tokenId, now));
        }
    }

    private void record(String tokenId, Instant at) {
        try {
            tokens.recordUse(tokenId, at);
        } catch (RuntimeException e) {
            log.warn("could not record the last use of token {}: {}", tokenId, e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
    }
}
