package dev.scimflow.ops.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.scimflow.ops.Progress;

/**
 * Keeps one part of the stack running: a process that exits while it is not being stopped is started again, after
 * a back-off that doubles from 1 s up to 30 s and resets once the process has stayed up for a minute. Starting and
 * stopping are serialised, so a stop that arrives during a start waits for it and then stops what it started.
 */
final class SupervisedPart {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofMinutes(1);

    private final StackPart part;
    private final ScheduledExecutorService scheduler;
    private final Progress progress;
    private final Runnable onRestart;

    private final Object lifecycle = new Object();
    private ProcessHandle process;
    private Instant startedAt;
    private int restarts;
    private boolean stopping;
    private Duration backoff = FIRST_BACKOFF;
    private ScheduledFuture<?> pendingRestart;

    SupervisedPart(StackPart part, ScheduledExecutorService scheduler, Progress progress, Runnable onRestart) {
        this.part = part;
        this.scheduler = scheduler;
        this.progress = progress;
        this.onRestart = onRestart;
    }

    String name() {
        return part.name();
    }

    /** Starts the part the first time; failures propagate. */
    void start() throws Exception {
        synchronized (lifecycle) {
            if (stopping) {
                throw new IllegalStateException(name() + " is being stopped");
            }
            launch();
        }
    }

    /** The process as it runs now, if it does. */
    Optional<ProcessHandle> process() {
        synchronized (lifecycle) {
            return Optional.ofNullable(process).filter(ProcessHandle::isAlive);
        }
    }

    Instant startedAt() {
        synchronized (lifecycle) {
            return process == null ? null : process.info().startInstant().orElse(startedAt);
        }
    }

    int restarts() {
        synchronized (lifecycle) {
            return restarts;
        }
    }

    /** Stops the part for good: no restart follows. */
    void stop(Duration grace) {
        synchronized (lifecycle) {
            stopping = true;
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            if (process != null) {
                part.stop(process, grace);
            }
        }
    }

    private void launch() throws Exception {
        ProcessHandle started = part.start();
        process = started;
        startedAt = Instant.now();
        // on our scheduler, never on the thread that completes onExit: stop() may hold the lock while it waits
        started.onExit().thenRunAsync(() -> exited(started), scheduler);
    }

    private void exited(ProcessHandle exited) {
        synchronized (lifecycle) {
            if (stopping || exited != process) {
                return;
            }
            if (Duration.between(startedAt, Instant.now()).compareTo(STABLE) > 0) {
                backoff = FIRST_BACKOFF;
            }
            progress.say(name() + " (pid " + exited.pid() + ") exited unexpectedly; restarting it in "
                    + backoff.toSeconds() + " s");
            scheduleRestart();
        }
    }

    private void scheduleRestart() {
        pendingRestart = scheduler.schedule(this::restart, backoff.toMillis(), TimeUnit.MILLISECONDS);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }

    private void restart() {
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            try {
                launch();
                restarts++;
                progress.say(name() + " restarted (pid " + process.pid() + ")");
            } catch (Exception e) {
                progress.say(name() + " could not be restarted (" + e.getMessage() + "); trying again in "
                        + backoff.toSeconds() + " s");
                scheduleRestart();
                return;
            }
        }
        onRestart.run();
    }
}
