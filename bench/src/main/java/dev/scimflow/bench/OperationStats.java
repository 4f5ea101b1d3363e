package dev.scimflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

/** What one operation's requests came to, recorded from many threads: latencies and outcomes. */
public final class OperationStats {

    public static final String TIMEOUT = "timeout";
    public static final String IO_ERROR = "io";

    private final Operation operation;
    private final Histogram micros = Latency.newMicrosHistogram();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> failedRequestIds = new ConcurrentHashMap<>();
    private final LongAdder unchanged = new LongAdder();

    /** How many request ids of failed requests are kept per outcome, to be looked up in the stack's request log. */
    static final int FAILED_REQUEST_IDS = 5;

    public OperationStats(Operation operation) {
        this.operation = operation;
    }

    /** One finished request: {@code outcome} is the HTTP status, or {@link #TIMEOUT} / {@link #IO_ERROR}. */
    public void record(String outcome, long latencyNanos) {
        record(outcome, latencyNanos, null);
    }

    /** The same, for a request sent with {@code requestId} as its {@code X-Request-Id} (null: none). */
    public void record(String outcome, long latencyNanos, String requestId) {
        synchronized (micros) {
            micros.recordValue(Math.min(Math.max(latencyNanos / 1000, 1), micros.getHighestTrackableValue()));
        }
        outcomes.computeIfAbsent(outcome, key -> new LongAdder()).increment();
        if (requestId != null && !isSuccess(outcome)) {
            List<String> ids = failedRequestIds.computeIfAbsent(outcome, key -> new ArrayList<>());
            synchronized (ids) {
                if (ids.size() < FAILED_REQUEST_IDS) {
                    ids.add(requestId);
                }
            }
        }
    }

    /**
     * One of the answered requests was a deactivation or reactivation of a user the benchmark knew to be in that state
     * already: the stack answers it without a change to apply (nothing written, no event, nothing audited).
     */
    public void recordUnchanged() {
        unchanged.increment();
    }

    /** How many answered requests changed nothing ({@link #recordUnchanged}). */
    public long unchanged() {
        return unchanged.sum();
    }

    /** By outcome, the request ids of the first failed requests (at most {@link #FAILED_REQUEST_IDS} each). */
    public Map<String, List<String>> failedRequestIds() {
        Map<String, List<String>> ids = new TreeMap<>();
        failedRequestIds.forEach((outcome, list) -> {
            synchronized (list) {
                ids.put(outcome, List.copyOf(list));
            }
        });
        return ids;
    }

    public Operation operation() {
        return operation;
    }

    public Histogram histogram() {
        synchronized (micros) {
            return micros.copy();
        }
    }

    public Map<String, Long> outcomes() {
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((outcome, count) -> counts.put(outcome, count.sum()));
        return counts;
    }

    public static boolean isSuccess(String outcome) {
        return outcome.length() == 3 && outcome.charAt(0) == '2';
    }

    /** The figures of a run of {@code seconds} from one operation's histogram and outcomes. */
    public static BenchResults.OperationResult result(String name, String request, Histogram micros,
                                                      Map<String, Long> outcomes, double seconds) {
        long count = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long errors = outcomes.entrySet().stream().filter(entry -> !isSuccess(entry.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        double throughput = seconds > 0 ? Math.round(count / seconds * 10.0) / 10.0 : 0;
        return new BenchResults.OperationResult(name, request, count, errors, throughput, new TreeMap<>(outcomes),
                Latency.ofMicros(micros));
    }

    public BenchResults.OperationResult result(double seconds) {
        return result(operation.key(), operation.request(), histogram(), outcomes(), seconds);
    }
}
