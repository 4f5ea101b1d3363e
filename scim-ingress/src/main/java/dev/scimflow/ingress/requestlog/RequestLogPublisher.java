package dev.scimflow.ingress.requestlog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimRequest;
import dev.scimflow.events.Topics;
import dev.scimflow.ingress.errors.AnsweredError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sends request log entries to {@code scim.requests} without ever holding up a SCIM request: the request thread only
 * offers the entry to a bounded queue; one background thread sends from it, what arrived within a send interval (100 ms)
 * together, with a producer of its own (its own buffer, so a slow broker never fills the buffer the changes are sent
 * from; {@code acks=1}, as an entry is a diagnostic, not a change). A full queue drops the entry and counts it in
 * {@code scimflow.request.log.dropped}, as does a failed send.
 */
@Component
class RequestLogPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RequestLogPublisher.class);

    private final RequestLogProperties properties;
    private final ProducerFactory<?, ?> producerFactory;
    private final BlockingQueue<Answered> queue;
    private final Counter dropped;
    private final Counter sent;
    private volatile Producer<String, byte[]> producer;
    private volatile Thread sender;
    private volatile boolean running;

    RequestLogPublisher(RequestLogProperties properties, ProducerFactory<?, ?> producerFactory, MeterRegistry meters) {
        this.properties = properties;
        this.producerFactory = producerFactory;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, properties.queueCapacity()));
        this.dropped = Counter.builder("scimflow.request.log.dropped")
                .description("request log entries dropped because the queue was full or the broker did not take them")
                .register(meters);
        this.sent = Counter.builder("scimflow.request.log.sent").description("request log entries sent").register(meters);
    }

    /**
     * What a request's thread takes from an answered request for its entry, as it is: the entry is made from it (names
     * only, shortened, see {@link RequestLogEntries}) on the sending thread, not on the request's.
     */
    record Answered(String tenant, Instant at, String userAgent, String method, String requestUri, String queryString, int status,
                    AnsweredError error, long latencyMs, String requestId) {

        ScimRequest entry() {
            return RequestLogEntries.entry(tenant, at, userAgent, method, requestUri, queryString, status, error, latencyMs, requestId);
        }
    }

    /** Queues the request for its entry, or drops it when the queue is full; returns at once either way. */
    void publish(Answered request) {
        if (!running || !queue.offer(request)) {
            dropped.increment();
        }
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        Map<String, Object> config = new HashMap<>(producerFactory.getConfigurationProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * 1024 * 1024);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.sendTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "scim-ingress-request-log");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        running = true;
        sender = new Thread(this::sendQueued, "request-log-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Waits for an entry, gathers what comes in the send interval after it (none when stopping), and sends them together. */
    private void sendQueued() {
        List<Answered> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Answered first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (running) {
                    Thread.sleep(properties.sendInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            queue.drainTo(batch);
            batch.forEach(this::send);
            batch.clear();
        }
    }

    private void send(Answered answered) {
        try {
            ScimRequest entry = answered.entry();
            producer.send(new ProducerRecord<>(Topics.REQUESTS, entry.tenant(), EventCodec.encode(entry)), (metadata, failure) -> {
                if (failure == null) {
                    sent.increment();
                } else {
                    dropped.increment();
                }
            });
        } catch (RuntimeException e) {
            dropped.increment();
            log.debug("request log entry dropped: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = sender;
        if (thread != null) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Producer<String, byte[]> current = producer;
        if (current != null) {
            current.close(Duration.ofSeconds(2));
        }
    }

    /** Started before and stopped after the web server, so that the requests it drains on shutdown are logged too. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
