package dev.scimflow.ingress.changes;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.OutcomeHeaders;
import dev.scimflow.events.Topics;
import dev.scimflow.ingress.reads.ReadYourWrites;

/**
 * Reads the worker's outcomes and hands them to the requests waiting for them ({@link OutcomeWaiters}). Every ingress
 * instance reads every partition of {@code scim.outcomes} from the end (no consumer group: there is nothing to share
 * or commit) and completes the futures of the changes it published itself; of the others it keeps only the tenant's
 * WAL position, for reads from a replica ({@link ReadYourWrites}). It is ready, and the ingress's health with it,
 * only once it holds a position on every partition, so no outcome of a change published after that can be missed.
 */
@Component("outcomesHealthIndicator")
public class OutcomeReader implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(OutcomeReader.class);

    private final ConsumerFactory<String, byte[]> consumerFactory;
    private final ReadYourWrites writes;
    private final OutcomeWaiters waiters;
    private volatile Consumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean positioned;
    private volatile boolean running;

    OutcomeReader(ConsumerFactory<String, byte[]> consumerFactory, ReadYourWrites writes, OutcomeWaiters waiters) {
        this.consumerFactory = consumerFactory;
        this.writes = writes;
        this.waiters = waiters;
    }

    /** Whether every outcome of a change published from now on will be read. */
    public boolean ready() {
        return positioned && running;
    }

    @Override
    public Health health() {
        return ready()
                ? Health.up().withDetail("waiting", waiters.size()).build()
                : Health.outOfService().withDetail("reason", "not yet positioned on " + Topics.OUTCOMES).build();
    }

    @Override
    public void start() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer = consumerFactory.createConsumer(null, "scim-ingress-outcomes", null, overrides);
        running = true;
        thread = new Thread(this::run, "scim-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned = true;
            log.info("reading outcomes from {} partitions of {}", partitions.size(), Topics.OUTCOMES);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("the outcome reader stopped; writes will answer 503 until the ingress restarts", e);
        } finally {
            positioned = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(Topics.OUTCOMES, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.warn("topic {} is not available yet; retrying", Topics.OUTCOMES);
            }
        }
        throw new WakeupException();
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        try {
            // every instance's writes, before this instance's own is answered: reads from a replica see them
            String tenant = OutcomeHeaders.tenant(record.headers());
            OptionalLong commitLsn = OutcomeHeaders.commitLsn(record.headers());
            if (tenant != null && commitLsn.isPresent()) {
                writes.written(tenant, commitLsn.getAsLong());
            }
            waiters.complete(UUID.fromString(record.key()), () -> EventCodec.outcome(record.value()));
        } catch (RuntimeException e) {
            log.warn("ignoring an unreadable outcome at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            if (thread != null) {
                thread.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
