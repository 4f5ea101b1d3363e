package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

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
            // in the stages of a clean stop: the services side by side, then the brokers and the replica, then the
            // database, so that each waits at most one grace for the slowest of its stage instead of one after another
            List<StackFile.Part> parts = new ArrayList<>(file.processes());
            Collections.reverse(parts);
            Set<String> services = Arrays.stream(Service.values()).map(Service::module).collect(Collectors.toSet());
            stopSideBySide(parts.stream().filter(part -> services.contains(part.name())).toList(), progress);
            stopSideBySide(parts.stream().filter(part -> !services.contains(part.name()) && !part.name().equals(LocalPostgres.NAME))
                    .toList(), progress);
            stopSideBySide(parts.stream().filter(part -> part.name().equals(LocalPostgres.NAME)).toList(), progress);
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

    private static void stopSideBySide(List<StackFile.Part> parts, Progress progress) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (StackFile.Part part : parts) {
            ProcessHandle.of(part.pid())
                    .filter(process -> Processes.isSame(process, part.startedAt()))
                    .ifPresent(process -> {
                        progress.say("stopping " + part.name() + " (pid " + process.pid()
                                + ") left running by a stack that did not shut down cleanly");
                        stops.add(CompletableFuture.runAsync(() -> Processes.terminate(process, GRACE),
                                runnable -> new Thread(runnable, "scimflow-stop-" + part.name()).start()));
                    });
        }
        stops.forEach(CompletableFuture::join);
    }
}
