package dev.scimflow.ops.recovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Prepares values on every core and hands the results to one consumer in the order the values were given. Decoding
 * JSON is most of what a rebuild does with an event and depends on nothing but the event; folding depends on the order
 * of events and costs little. So the values are prepared in chunks on a pool while the caller reads the next ones,
 * and the caller folds the chunks in turn. A bounded number of chunks is in flight; a failure to prepare a value is
 * thrown to the caller, by the call that reaches its chunk.
 */
final class PreparedInOrder<V, R> implements AutoCloseable {

    private static final int CHUNK = 256;

    private final Function<V, R> prepare;
    private final Consumer<R> fold;
    private final int inFlight;
    private final ExecutorService pool;
    private final Deque<Future<List<R>>> pending = new ArrayDeque<>();
    private List<V> chunk = new ArrayList<>(CHUNK);

    PreparedInOrder(Function<V, R> prepare, Consumer<R> fold, int threads) {
        this.prepare = prepare;
        this.fold = fold;
        this.inFlight = 4 * threads;
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "rebuild-decode");
            thread.setDaemon(true);
            return thread;
        });
    }

    void accept(V value) {
        chunk.add(value);
        if (chunk.size() == CHUNK) {
            dispatch();
            while (!pending.isEmpty() && (pending.size() > inFlight || pending.peekFirst().isDone())) {
                foldNext();
            }
        }
    }

    /** Folds every value given so far. */
    void finish() {
        if (!chunk.isEmpty()) {
            dispatch();
        }
        while (!pending.isEmpty()) {
            foldNext();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private void dispatch() {
        List<V> values = chunk;
        chunk = new ArrayList<>(CHUNK);
        pending.add(pool.submit(() -> {
            List<R> results = new ArrayList<>(values.size());
            for (V value : values) {
                results.add(prepare.apply(value));
            }
            return results;
        }));
    }

    private void foldNext() {
        List<R> results;
        try {
            results = pending.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        results.forEach(fold);
    }
}
