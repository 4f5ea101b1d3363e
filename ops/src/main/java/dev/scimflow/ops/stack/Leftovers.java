package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.scimflow.ops.Progress;

/**
 * Cleans up after a stack that was killed instead of stopped: its processes (recorded in {@code stack.json}, checked
 * by start time so that a recycled pid is never hit) and a PostgreSQL still serving the data directory. Only called
 * with the data directory's lock held, so nothing found here belongs to a live stack.
 */
public final class Leftovers {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private Leftovers() {
    }

    public static void stop(DataDir dataDir, Progress progress) {
        Optional<StackFile> previous;
        try {
            previous = StackFile.read(dataDir);
        } catch (RuntimeException unreadable) {
            previous = Optional.empty();
        }
        previous.ifPresent(file -> {
            List<StackFile.Part> parts = new ArrayList<>(file.processes());
            Collections.reverse(parts); // services first, the database last, as on a clean stop
            for (StackFile.Part part : parts) {
                ProcessHandle.of(part.pid())
                        .filter(process -> Processes.isSame(process, part.startedAt()))
                        .ifPresent(process -> {
                            progress.say("stopping " + part.name() + " (pid " + process.pid()
                                    + ") left running by a stack that did not shut down cleanly");
                            Processes.terminate(process, GRACE);
                        });
            }
        });
        LocalPostgres.postmasterOf(dataDir)
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                .ifPresent(process -> {
                    progress.say("stopping PostgreSQL (pid " + process.pid() + ") left running on " + dataDir.postgres());
                    Processes.terminate(process, GRACE);
                });
        try {
            Files.deleteIfExists(dataDir.stackFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
