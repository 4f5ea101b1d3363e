package dev.scimflow.worker;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.scimflow.store.Outbox;

/**
 * Publishes the outbox to Kafka. Exactly one relay publishes at a time, among all worker instances: the one whose
 * database session holds the outbox's advisory lock; the others stand by and take over when its session ends. The
 * relay reads the waiting records in the order they were written and hands them to the producer without waiting for
 * the broker, then removes each once acknowledged; while a record is in flight it is not read again. No lock is held
 * across an acknowledgement, and records keep their order: two facts about one resource are written in the order their
 * changes committed (the second change waited for the first's row lock), one relay reads them in that order, and the
 * idempotent producer keeps the order of a partition. If a send fails, the relay waits for what is in flight, then
 * reads and sends again from the oldest record still there: a fact may be published twice (consumers de-duplicate by
 * event id), never lost, and never ahead of an older fact about the same resource for the first time.
 *
 * <p>It is woken as soon as a batch of changes commits in this instance, and looks on its own every
 * {@code scimflow.worker.outbox-relay-interval} for what other instances wrote. Acknowledged records are removed at most
 * once per that interval, together (and at once after a failed send and when the relay stops): at low rates every
 * change wakes the relay on its own, and a removal per wake-up cost PostgreSQL three round trips per change.
 *
 * <p>The relay reads and removes over the session that holds its lock, set up as {@link Outbox#RELAY_SESSION} says.
 */
@Component
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final int BATCH = 1_000;
    /** How long a stopping relay waits for acknowledgements; what is not acknowledged by then stays in the outbox. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** The advisory lock key of the relay; {@code hashtext('scim.outbox')}, as earlier versions used per transaction. */
    private static final String LOCK = "hashtext('scim.outbox')";

    private final DataSource dataSource;
    private final KafkaTemplate<String, byte[]> kafka;
    private final WorkerProperties properties;

    private final Semaphore wakeUps = new Semaphore(0);
    private final Set<Long> inFlight = new HashSet<>();
    private final Queue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile boolean sendFailed;
    private volatile boolean running;
    private Thread thread;
    private Connection leadership;
    /** The outbox, over the leadership session. */
    private Outbox outbox;
    private Instant lastLeadershipCheck = Instant.EPOCH;
    private Instant lastWarning = Instant.EPOCH;
    private long lastRemoval = System.nanoTime();

    OutboxRelay(DataSource dataSource, KafkaTemplate<String, byte[]> kafka, WorkerProperties properties) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.properties = properties;
    }

    /** Wakes the relay: changes were committed in this instance. */
    void publishSoon() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wakeUps.release();
        try {
            thread.join(STOP_GRACE.plusSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the listeners and stops after them (they stop at a higher phase). */
    @Override
    public int getPhase() {
        return 0;
    }

    private void run() {
        while (running) {
            int read = 0;
            try {
                if (System.nanoTime() - lastRemoval >= properties.outboxRelayInterval().toNanos()) {
                    removeAcknowledged();
                }
                if (lead()) {
                    if (sendFailed) {
                        resendFromTheOldest();
                    }
                    read = relayWaiting();
                }
            } catch (RuntimeException | SQLException e) {
                warn("the outbox could not be relayed yet (" + e + "); retrying every " + properties.outboxRelayInterval());
                resign();
            }
            if (read < BATCH) {
                awaitWakeUp(properties.outboxRelayInterval());
            }
        }
        settle(STOP_GRACE);
        try {
            removeAcknowledged();
        } catch (RuntimeException e) {
            // left for the next relay: the records are published, and publishing them again is harmless
        }
        resign();
    }

    /** Sends the records waiting that are not in flight yet, oldest first; returns how many. */
    private int relayWaiting() {
        List<Outbox.Entry> entries = outbox.pending(inFlight, BATCH);
        for (Outbox.Entry entry : entries) {
            inFlight.add(entry.id());
            unsettled.incrementAndGet();
            kafka.send(record(entry)).whenComplete((sent, failure) -> {
                if (failure == null) {
                    acknowledged.add(entry.id());
                } else {
                    sendFailed = true;
                    warn("the broker did not acknowledge outbox record " + entry.id() + " (" + failure.getMessage()
                            + "); it will be sent again");
                }
                unsettled.decrementAndGet();
            });
        }
        return entries.size();
    }

    /** After a failed send: waits for every send to settle, then forgets what is in flight, so it is read again. */
    private void resendFromTheOldest() {
        settle(properties.publishTimeout());
        removeAcknowledged();
        inFlight.clear();
        sendFailed = false;
    }

    /** Removes the acknowledged records (over the relay's session: a lost removal only republishes). */
    private void removeAcknowledged() {
        lastRemoval = System.nanoTime();
        List<Long> ids = new ArrayList<>();
        for (Long id = acknowledged.poll(); id != null; id = acknowledged.poll()) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return;
        }
        if (outbox == null) {
            // no longer the relay: what was in flight is forgotten, and the next relay publishes it again
            return;
        }
        try {
            outbox.remove(ids);
            ids.forEach(inFlight::remove);
        } catch (RuntimeException e) {
            acknowledged.addAll(ids);
            throw e;
        }
    }

    /** The record of an outbox row: its topic, key, value and headers (event type, transition, traceparent) as written. */
    static ProducerRecord<String, byte[]> record(Outbox.Entry entry) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(entry.topic(), entry.key(), entry.payload());
        List<String> headers = entry.headers();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            record.headers().add(headers.get(i), headers.get(i + 1).getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /**
     * True while this instance holds the relay's lock: taken with a session of its own, checked at most once a second
     * (a query that fails in between also ends it, see {@link #resign}).
     */
    private boolean lead() throws SQLException {
        Instant now = Instant.now();
        if (leadership != null && Duration.between(lastLeadershipCheck, now).toMillis() < 1_000) {
            return true;
        }
        if (leadership != null && leadership.isValid(2)) {
            lastLeadershipCheck = now;
            return true;
        }
        resign();
        if (Duration.between(lastLeadershipCheck, now).compareTo(properties.outboxRelayInterval()) < 0) {
            return false;
        }
        lastLeadershipCheck = now;
        Connection connection = dataSource.getConnection();
        // the session is set up before the lock is taken: nothing can fail between taking it and holding it here, so a
        // session back in the pool never keeps the lock; one that did not get it goes back as it came
        try (Statement statement = connection.createStatement()) {
            statement.execute(Outbox.RELAY_SESSION);
            try (ResultSet taken = statement.executeQuery("select pg_try_advisory_lock(" + LOCK + ")")) {
                if (taken.next() && taken.getBoolean(1)) {
                    leadership = connection;
                    outbox = new Outbox(new SingleConnectionDataSource(connection, true));
                    log.info("relaying the outbox (this instance holds the relay lock)");
                    return true;
                }
            }
            statement.execute(Outbox.RELAY_SESSION_RESET);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return false;
    }

    /** Gives up the relay's lock (if its session still lives) and forgets what was in flight: the next relay sends it. */
    private void resign() {
        if (leadership == null) {
            return;
        }
        settle(Duration.ofSeconds(1));
        try (Connection connection = leadership) {
            if (connection.isValid(1)) {
                try (Statement statement = connection.createStatement()) {
                    // the session goes back to the pool as it came
                    statement.execute("select pg_advisory_unlock(" + LOCK + "); " + Outbox.RELAY_SESSION_RESET);
                }
            }
        } catch (SQLException e) {
            // the session is gone, and its lock with it
        }
        leadership = null;
        outbox = null;
        inFlight.clear();
        sendFailed = false;
    }

    private void settle(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (unsettled.get() > 0 && System.nanoTime() < deadline) {
            awaitWakeUp(Duration.ofMillis(10));
        }
    }

    private void awaitWakeUp(Duration atMost) {
        try {
            if (wakeUps.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void warn(String message) {
        Instant now = Instant.now();
        if (Duration.between(lastWarning, now).toSeconds() >= 10) {
            lastWarning = now;
            log.warn(message);
        }
    }
}
