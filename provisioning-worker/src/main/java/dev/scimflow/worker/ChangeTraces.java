package dev.scimflow.worker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.stereotype.Component;

import dev.scimflow.events.TraceParent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The worker's part of each request's trace. A poll's changes are applied together, so Spring Kafka's listener
 * observation (one per record, for record listeners) does not fit: instead every change gets an {@code apply} span
 * that continues the trace of its record's {@code traceparent} (the ingress's send) and lasts while the poll's
 * transaction applies it. Its context is what the change's facts carry on to {@code scim.events}: stored with their
 * outbox rows and put on the records by the relay. A replayed change ({@code scimflow replay changes} moves the
 * workers' offsets back) is the same record with the same header, so its new apply span continues the original trace.
 */
@Component
class ChangeTraces {

    private static final Propagator.Getter<Headers> HEADERS = (headers, key) -> {
        Header header = headers == null ? null : headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    };

    private final Tracer tracer;
    private final Propagator propagator;

    ChangeTraces(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Starts the apply span of each record, in the order given. */
    Spans start(List<ConsumerRecord<String, byte[]>> records) {
        List<Span> spans = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            spans.add(propagator.extract(record.headers(), HEADERS)
                    .name("scim.changes apply")
                    .kind(Span.Kind.CONSUMER)
                    .tag("messaging.system", "kafka")
                    .tag("messaging.destination.name", record.topic())
                    .tag("messaging.kafka.partition", Integer.toString(record.partition()))
                    .tag("messaging.kafka.offset", Long.toString(record.offset()))
                    .start());
        }
        return new Spans(spans);
    }

    /** The apply spans of one poll, by the index of their record. */
    final class Spans implements AutoCloseable {

        private final List<Span> spans;

        private Spans(List<Span> spans) {
            this.spans = spans;
        }

        /** The {@code traceparent} that continues the trace of record {@code index} from its apply span. */
        String traceparent(int index) {
            String[] traceparent = new String[1];
            propagator.inject(spans.get(index).context(), null, (carrier, key, value) -> {
                if (TraceParent.HEADER.equals(key)) {
                    traceparent[0] = value;
                }
            });
            return traceparent[0];
        }

        /** Makes record {@code index}'s span the current one (its trace id in the log lines) until closed. */
        Tracer.SpanInScope inScope(int index) {
            return tracer.withSpan(spans.get(index));
        }

        void failed(int index, Throwable failure) {
            if (index >= 0 && index < spans.size()) {
                spans.get(index).error(failure);
            }
        }

        /** Ends every span: the poll's transaction is over, committed or not. */
        @Override
        public void close() {
            spans.forEach(Span::end);
        }
    }
}
