package dev.scimflow.ops.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.scimflow.ops.Json;

/**
 * {@code stack.json}: what a running stack tells other commands (addresses, ports, processes; never a secret). It is
 * rewritten as parts start and restart, and removed on a clean stop; one left behind by a stack that was killed is
 * how the next {@code scimflow up} finds that stack's processes to stop them.
 */
public record StackFile(long pid, Instant startedAt, String dataDir, String jdbcUrl, String kafkaBootstrap,
                        String scimBaseUrl, String auditUrl, Map<String, Integer> ports, List<Part> processes) {

    /** One process: {@code readinessUrl} is null for the broker and the database. */
    public record Part(String name, long pid, Instant startedAt, String readinessUrl, int restarts) {
    }

    public StackFile {
        ports = ports == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ports));
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    public static Optional<StackFile> read(DataDir dataDir) {
        Path file = dataDir.stackFile();
        return Files.exists(file) ? Optional.of(Json.read(file, StackFile.class)) : Optional.empty();
    }

    public void write(DataDir dataDir) {
        Json.write(dataDir.stackFile(), this, false);
    }

    public Optional<Part> process(String name) {
        return processes.stream().filter(part -> part.name().equals(name)).findFirst();
    }

    /** The process ids of the stack in {@code dataDir} by name, as its {@code stack.json} lists them now (none if absent). */
    public static Map<String, Long> pids(DataDir dataDir) {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        read(dataDir).ifPresent(file -> file.processes().forEach(part -> pids.put(part.name(), part.pid())));
        return pids;
    }
}
