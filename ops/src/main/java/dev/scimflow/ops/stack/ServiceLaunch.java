package dev.scimflow.ops.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.scimflow.ops.Installation;
import dev.scimflow.ops.Progress;

/**
 * How a service's JVM is started: with {@link JvmOptions}, from its jar in extracted form and with a class data sharing
 * archive of the classes it loads while starting, so that a JVM with the C2 compiler starts about as fast as one
 * limited to C1 without it. This is Spring Boot's CDS support on JDK 17 (a dynamic AppCDS archive):
 * {@code java -Djarmode=tools -jar x.jar extract}, then a training run of the extracted jar with
 * {@code -XX:ArchiveClassesAtExit} and {@code -Dspring.context.exit=onRefresh} (the service builds its whole context,
 * connects to its database and migrates it, then exits before it starts serving or consuming), then every start with
 * {@code -XX:SharedArchiveFile}.
 *
 * <p>The extracted jar and its archive live in a directory of the cache named after a digest of the jar's path, size
 * and modification time, the JVM options and the JDK: a rebuilt jar, other options or another JDK find no archive and
 * start from the jar as it is until {@link #prepare} made a new one (and removed the stale ones of that jar). Even an
 * archive that did not match would do no harm: the JVM checks the class path it was made for and, finding a
 * difference, runs without it. Options that turn class data sharing off ({@code -Xshare:off}) skip all of it, and so do
 * those that attach a profiler or an agent ({@code -XX:StartFlightRecording}, {@code -javaagent:}, {@code -agentpath:},
 * {@code -agentlib:}): JDK 17 crashes at start when a dynamic archive meets a class file load hook.
 */
public final class ServiceLaunch implements AutoCloseable {

    static final String ARCHIVE = "application.jsa";
    static final String EXTRACTED = "application";
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(2);
    private static final Map<Path, Object> PREPARING = new ConcurrentHashMap<>();
    /** Options that hook class loading, which a dynamic archive does not survive on JDK 17 (a SIGSEGV at start). */
    private static final List<String> WITHOUT_ARCHIVE = List.of("-XX:StartFlightRecording", "-javaagent:", "-agentpath:", "-agentlib:");

    private final Path cache;
    private final List<String> options;
    private final Progress progress;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param cache   where extracted jars and archives are kept (created when missing), e.g. {@code <installation>/cds}
     * @param options the JVM options the services run with, normally {@link JvmOptions#longRunning()}
     */
    public ServiceLaunch(Path cache, List<String> options, Progress progress) {
        this.cache = cache.toAbsolutePath().normalize();
        this.options = List.copyOf(options);
        this.progress = progress;
    }

    /**
     * The launcher of an installation's services, its archives kept in {@code cds/} next to {@code services/}: shared
     * by {@code scimflow up} and the system tests, so one training run per build serves both.
     */
    public static ServiceLaunch of(Installation installation, List<String> options, Progress progress) {
        return new ServiceLaunch(installation.home().resolve("cds"), options, progress);
    }

    /** The JVM's arguments (without the java executable) that run this jar: with its archive when there is one. */
    public List<String> arguments(Path jar) {
        List<String> arguments = new ArrayList<>(options);
        Path directory = directory(jar);
        Path extracted = directory.resolve(EXTRACTED).resolve(jar.getFileName());
        Path archive = directory.resolve(ARCHIVE);
        if (enabled() && Files.isRegularFile(archive) && Files.isRegularFile(extracted)) {
            arguments.add("-XX:SharedArchiveFile=" + archive);
            arguments.addAll(List.of("-jar", extracted.toString()));
        } else {
            arguments.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        }
        return arguments;
    }

    /**
     * Makes this jar's archive unless there is one: extracts the jar and runs the training run in the environment the
     * service will have (it needs the service's database), its output appended to {@code log}. Returns whether there
     * is an archive now; when the training fails the service simply starts without one. Several callers, in this
     * process or others, may prepare the same jar at once: one trains, the others wait for it.
     */
    public boolean prepare(Path jar, Map<String, String> environment, Path log, Duration timeout) {
        if (!enabled()) {
            return false;
        }
        Path directory = directory(jar);
        synchronized (PREPARING.computeIfAbsent(directory, key -> new Object())) {
            try {
                Files.createDirectories(cache);
                try (FileChannel lockFile = FileChannel.open(cache.resolve(directory.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockFile.lock()) {
                    if (Files.isRegularFile(directory.resolve(ARCHIVE))) {
                        return true;
                    }
                    return train(jar, directory, environment, log, timeout);
                }
            } catch (IOException e) {
                progress.say("no class data sharing archive for " + jar.getFileName() + " (" + e.getMessage()
                        + "); it starts without one");
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean train(Path jar, Path directory, Map<String, String> environment, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Instant began = Instant.now();
        removeStale(jar, directory);
        Path extracted = directory.resolve(EXTRACTED);
        if (!Files.isRegularFile(extracted.resolve(jar.getFileName()))) {
            Path partial = Files.createDirectories(directory).resolve(EXTRACTED + ".partial");
            deleteTree(partial);
            List<String> extract = new ArrayList<>(List.of(JavaProcess.javaExecutable()));
            extract.addAll(JvmOptions.SHORT_LIVED);
            extract.addAll(List.of("-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract",
                    "--destination", partial.toString()));
            if (run(extract, Map.of(), log, EXTRACT_TIMEOUT) != 0) {
                progress.say("could not extract " + jar.getFileName() + " (see " + log + "); it starts without class data sharing");
                return false;
            }
            deleteTree(extracted);
            Files.move(partial, extracted, StandardCopyOption.ATOMIC_MOVE);
        }
        // written under another name, so that a training cut short never leaves a half-written archive behind
        Path written = directory.resolve(ARCHIVE + ".partial");
        Files.deleteIfExists(written);
        List<String> training = new ArrayList<>(List.of(JavaProcess.javaExecutable()));
        training.addAll(options);
        // a run that ends with its start-up has nothing for C2 to do; the archive does not depend on the compiler
        // (and its warnings about classes it cannot archive, e.g. generated reflection accessors, are noise in the log)
        training.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xlog:cds=off", "-XX:ArchiveClassesAtExit=" + written,
                "-Dspring.context.exit=onRefresh", "-jar", extracted.resolve(jar.getFileName()).toString()));
        Map<String, String> trainingEnvironment = new java.util.HashMap<>(environment);
        trainingEnvironment.put("SERVER_PORT", "0");
        int exit = run(training, trainingEnvironment, log, timeout);
        if (exit != 0 || !Files.isRegularFile(written) || Files.size(written) == 0) {
            Files.deleteIfExists(written);
            if (closed) {
                return false;
            }
            progress.say("the class data sharing training run of " + jar.getFileName() + " failed (exit " + exit + ", see "
                    + log + "); it starts without an archive");
            return false;
        }
        Files.move(written, directory.resolve(ARCHIVE), StandardCopyOption.ATOMIC_MOVE);
        progress.say(String.format("class data sharing archive of %s made in %.1f s", jar.getFileName(),
                Duration.between(began, Instant.now()).toMillis() / 1000.0));
        return true;
    }

    private int run(List<String> command, Map<String, String> environment, Path log, Duration timeout)
            throws IOException, InterruptedException {
        if (closed) {
            throw new InterruptedException("stopped");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "=== scimflow: " + String.join(" ", command.subList(1, command.size())) + " at " + Instant.now()
                + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        running.add(process);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
            return process.exitValue();
        } finally {
            running.remove(process);
        }
    }

    /** Ends training runs still going, e.g. when {@code scimflow up} is stopped while it prepares. */
    @Override
    public void close() {
        closed = true;
        running.forEach(Process::destroyForcibly);
    }

    private boolean enabled() {
        return options.stream().noneMatch(option -> option.equals("-Xshare:off") || WITHOUT_ARCHIVE.stream().anyMatch(option::startsWith));
    }

    /** {@code <cache>/<jar name>-<digest of what the archive depends on>}. */
    Path directory(Path jar) {
        Path absolute = jar.toAbsolutePath().normalize();
        String identity;
        try {
            identity = String.join("\n", absolute.toString(), Long.toString(Files.size(absolute)),
                    Long.toString(Files.getLastModifiedTime(absolute).toMillis()), String.join(" ", options),
                    System.getProperty("java.home"), System.getProperty("java.vm.version"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + absolute, e);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return cache.resolve(baseName(jar) + "-" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Archives of earlier builds of the same jar: nothing uses them once this one exists. */
    private void removeStale(Path jar, Path current) throws IOException {
        String prefix = baseName(jar) + "-";
        try (var entries = Files.list(cache)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && name.startsWith(prefix) && !entry.equals(current)
                        && name.substring(prefix.length()).matches("[0-9a-f]{16}")) {
                    deleteTree(entry);
                    Files.deleteIfExists(cache.resolve(name + ".lock"));
                }
            }
        }
    }

    private static String baseName(Path jar) {
        return jar.getFileName().toString().replaceFirst("\\.jar$", "");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
