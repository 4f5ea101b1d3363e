package dev.scimflow.ops.stack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ending processes for good: politely first, then by force, with everything they started. */
final class Processes {

    private static final Duration AFTER_KILL = Duration.ofSeconds(2);

    private Processes() {
    }

    /**
     * SIGTERM, then SIGKILL when the process has not exited within {@code grace}; its descendants (recorded before, as
     * they are re-parented once it is gone) are killed too if they outlive it. Returns true when the process exited
     * by itself.
     */
    static boolean terminate(ProcessHandle process, Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        boolean polite = true;
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(process, grace)) {
                polite = false;
                process.destroyForcibly();
                awaitExit(process, AFTER_KILL);
            }
        }
        for (ProcessHandle descendant : descendants) {
            if (descendant.isAlive()) {
                descendant.destroyForcibly();
            }
        }
        return polite;
    }

    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    /** Whether this exact process (not a later one that reused its pid) still runs. */
    static boolean isSame(ProcessHandle process, java.time.Instant startedAt) {
        return process.isAlive() && (startedAt == null || process.info().startInstant().map(startedAt::equals).orElse(false));
    }
}
