package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.scimflow.ops.ScimflowCommand;

/** What the stack's integration tests share: a fresh data directory and free ports per stack, and the CLI in-process. */
public final class TestStacks {

    private TestStacks() {
    }

    public static Path newDataDir(String name) {
        return Path.of("target", "it-stacks", name + "-" + System.nanoTime()).toAbsolutePath();
    }

    /** Removes a test stack's data once its test passed (a failed test keeps it, with its logs, for a look). */
    public static void deleteDataDir(Path dataDir) {
        try (var paths = java.nio.file.Files.walk(dataDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options on free ports, so that tests never collide with each other or with a stack someone runs. */
    public static StackOptions options(Path dataDir, Set<Service> services) {
        List<Integer> ports = freePorts(7);
        return new StackOptions(dataDir, ports.get(0), ports.get(1), ports.get(2), ports.get(3), ports.get(4), ports.get(5),
                "default", null, services, Duration.ofMinutes(4), ports.get(6));
    }

    public static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a probe socket
                }
            });
        }
    }

    /** Runs {@code scimflow ARGS} in this JVM, as the jar would. */
    public static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = ScimflowCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Cli(exitCode, out.toString(), err.toString());
    }

    public record Cli(int exitCode, String out, String err) {

        /** The value of a {@code name: value} line of the output. */
        public String field(String name) {
            return out.lines().filter(line -> line.startsWith(name + ":")).findFirst()
                    .map(line -> line.substring(name.length() + 1).trim())
                    .orElseThrow(() -> new AssertionError("no '" + name + ":' in output:\n" + out + err));
        }
    }
}
