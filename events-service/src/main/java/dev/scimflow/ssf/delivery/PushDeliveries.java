package dev.scimflow.ssf.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.stream.StreamConfig;

/**
 * Shares the enabled push streams out among the running instances, and keeps each one delivered by exactly one. An
 * instance delivers a stream while it holds the stream's PostgreSQL advisory lock, taken on one connection of its own:
 * when the instance dies, even by SIGKILL, the database ends its session and the lock is free for the next instance at
 * once. Every {@code supervisor-interval} it starts what it can take, and restarts a delivery whose stream was changed,
 * paused, disabled or deleted (stopping it) or whose thread ended.
 */
@Component
public class PushDeliveries implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PushDeliveries.class);

    private final DataSource dataSource;
    private final PushDeliveryParts parts;
    private final EventsProperties properties;
    private final Map<String, PushStream> running = new ConcurrentHashMap<>();
    private volatile boolean active;
    private volatile Thread thread;
    private Connection locks;

    PushDeliveries(DataSource dataSource, PushDeliveryParts parts, EventsProperties properties) {
        this.dataSource = dataSource;
        this.parts = parts;
        this.properties = properties;
    }

    @Override
    public void start() {
        active = true;
        thread = new Thread(this::supervise, "push-deliveries");
        thread.setDaemon(true);
        thread.start();
    }

    private void supervise() {
        while (active) {
            try {
                assign();
            } catch (SQLException | RuntimeException e) {
                log.warn("push deliveries: {}; releasing every stream and trying again", e.toString());
                stopAll();
                closeLocks();
            }
            LockSupport.parkNanos(properties.supervisorInterval().toNanos());
        }
    }

    /**
     * Stops this instance's delivery of a stream at once, if it runs one, after the stream was changed here; the next
     * round starts it again if it is still enabled. (Other instances notice a change within {@code supervisor-interval}.)
     */
    public synchronized void release(String streamId) {
        PushStream delivery = running.remove(streamId);
        if (delivery != null) {
            delivery.stop();
            try {
                unlock(streamId);
            } catch (SQLException | RuntimeException e) {
                log.warn("push deliveries: {}", e.toString());
            }
        }
    }

    private synchronized void assign() throws SQLException {
        if (locks == null || !locks.isValid(2)) {
            // a lost lock connection means lost locks: nothing may go on delivering on their strength
            stopAll();
            closeLocks();
            locks = dataSource.getConnection();
            locks.setAutoCommit(true);
        }
        Map<String, StreamConfig> enabled = parts.streams().enabledPushStreams().stream()
                .collect(Collectors.toMap(StreamConfig::id, Function.identity()));
        for (PushStream delivery : List.copyOf(running.values())) {
            StreamConfig now = enabled.get(delivery.stream().id());
            if (now == null || !now.updatedAt().equals(delivery.stream().updatedAt()) || !delivery.isAlive()) {
                delivery.stop();
                running.remove(delivery.stream().id());
                unlock(delivery.stream().id());
            }
        }
        for (StreamConfig stream : enabled.values()) {
            if (active && !running.containsKey(stream.id()) && tryLock(stream.id())) {
                PushStream delivery = new PushStream(stream, parts, properties);
                running.put(stream.id(), delivery);
                delivery.start();
            }
        }
    }

    private boolean tryLock(String streamId) throws SQLException {
        try (PreparedStatement statement = locks.prepareStatement(
                "select pg_try_advisory_lock(hashtext('scimflow-events-stream'), hashtext(?))")) {
            statement.setString(1, streamId);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private void unlock(String streamId) throws SQLException {
        try (PreparedStatement statement = locks.prepareStatement(
                "select pg_advisory_unlock(hashtext('scimflow-events-stream'), hashtext(?))")) {
            statement.setString(1, streamId);
            statement.executeQuery().close();
        }
    }

    private synchronized void stopAll() {
        running.values().parallelStream().forEach(PushStream::stop);
        running.clear();
    }

    private synchronized void closeLocks() {
        if (locks != null) {
            try {
                locks.close();
            } catch (SQLException e) {
                // the session is gone with its locks either way
            }
            locks = null;
        }
    }

    @Override
    public void stop() {
        active = false;
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
            try {
                current.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopAll();
        closeLocks();
    }

    @Override
    public boolean isRunning() {
        return active;
    }
}
