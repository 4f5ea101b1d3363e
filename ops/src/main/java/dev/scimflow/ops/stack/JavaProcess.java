package dev.scimflow.ops.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A JVM of the stack (a service or the broker), its output appended to its own log file. It runs in a session of its
 * own ({@code setsid}), so that Ctrl-C in the terminal reaches only {@code scimflow up}, which then stops the parts in
 * order, instead of every process at once.
 */
final class JavaProcess implements StackPart {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Supplier<List<String>> jvmArguments;
    private final Map<String, String> environment;
    private final Path log;

    JavaProcess(String name, List<String> jvmArguments, Map<String, String> environment, Path log) {
        this(name, () -> jvmArguments, environment, log);
    }

    /** @param jvmArguments worked out again for every start, e.g. to use a class data sharing archive made since */
    JavaProcess(String name, Supplier<List<String>> jvmArguments, Map<String, String> environment, Path log) {
        this.name = name;
        this.jvmArguments = jvmArguments;
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String name() {
        return name;
    }

    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArguments.get());
        return command;
    }

    @Override
    public ProcessHandle start() throws IOException {
        return spawn(command()).toHandle();
    }

    /** Runs a short-lived command with the same environment and log, e.g. a tool that prepares the data directory. */
    Process spawn(List<String> commandLine) throws IOException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "=== scimflow: starting " + name + " at " + Instant.now() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(commandLine);
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return builder.start();
    }

    @Override
    public void stop(ProcessHandle process, Duration grace) {
        Processes.terminate(process, grace);
    }
}
