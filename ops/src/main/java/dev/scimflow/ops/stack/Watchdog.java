package dev.scimflow.ops.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.scimflow.ops.Progress;

/**
 * Ends a local stack whose {@code scimflow up} died without stopping it (SIGKILL, the OOM killer): a small JVM of
 * its own, started by {@code up} in a session of its own, that waits for that process to end. A clean stop ends the
 * watchdog before it releases the data directory ({@link #stop}); if {@code up} ends any other way, the watchdog takes
 * the data directory's lock, which the dead process no longer holds, and stops what {@code stack.json} and
 * {@code postmaster.pid} still name, as the next {@code up} would ({@link Leftovers}). So an operator never meets half
 * a stack. If a new {@code up} has taken the lock first, that one cleans up, and the watchdog leaves it alone.
 */
public final class Watchdog {

    /** How long the watchdog tries for the lock once {@code up} is gone (another scimflow command may hold it briefly). */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    private static final Duration LOCK_RETRY = Duration.ofMillis(200);

    private Watchdog() {
    }

    /**
     * Starts the watchdog of this process's stack on that data directory; its output goes to {@code logs/watchdog.log}.
     */
    static Process start(DataDir dataDir) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        List<String> command = new ArrayList<>();
        command.add(JavaProcess.javaExecutable());
        command.addAll(JvmOptions.WATCHDOG);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Watchdog.class.getName(), Long.toString(self.pid()),
                self.info().startInstant().map(Instant::toString).orElse("-"), dataDir.root().toString()));
        return new JavaProcess("watchdog", List.of(), Map.of(), dataDir.log("watchdog")).spawn(command);
    }

    /** Ends the watchdog of a stack that stops cleanly, before the stack releases its data directory. */
    static void stop(Process watchdog) {
        Processes.terminate(watchdog.toHandle(), Duration.ofSeconds(2));
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: Watchdog <pid of scimflow up> <its start instant or -> <data directory>");
            System.exit(2);
        }
        long pid = Long.parseLong(args[0]);
        Instant startedAt = args[1].equals("-") ? null : Instant.parse(args[1]);
        DataDir dataDir = new DataDir(Path.of(args[2]));
        Progress log = line -> System.out.println(Instant.now() + " " + line);

        ProcessHandle.of(pid).filter(stack -> Processes.isSame(stack, startedAt)).ifPresent(stack -> stack.onExit().join());
        Optional<DataDirLock> lock = acquire(dataDir);
        if (lock.isEmpty()) {
            log.say("scimflow up (pid " + pid + ") has ended and another scimflow process holds " + dataDir.root()
                    + "; it stops what was left running");
            return;
        }
        try (DataDirLock held = lock.get()) {
            if (!Files.exists(dataDir.stackFile()) && LocalPostgres.postmasterOf(dataDir).isEmpty()) {
                return; // stopped cleanly after all (a stop that could not end the watchdog in time)
            }
            log.say("scimflow up (pid " + pid + ") ended without stopping its stack; stopping what it left running");
            Leftovers.stop(dataDir, log);
            log.say("stopped");
        }
    }

    private static Optional<DataDirLock> acquire(DataDir dataDir) throws InterruptedException {
        Instant deadline = Instant.now().plus(LOCK_WAIT);
        while (true) {
            Optional<DataDirLock> lock = DataDirLock.tryAcquire(dataDir);
            if (lock.isPresent() || Instant.now().isAfter(deadline)) {
                return lock;
            }
            Thread.sleep(LOCK_RETRY.toMillis());
        }
    }
}
