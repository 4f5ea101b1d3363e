package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar target/scimflow.jar up} as an operator runs it: it prints exactly one line to stdout when ready,
 * SIGTERM stops it within 15 s with no process left, a stack that was killed outright is stopped by its watchdog, and
 * one killed together with its watchdog is cleaned up by the next {@code up} on the same data directory.
 */
class UpCommandIT {

    private static final Duration READY_WITHIN = Duration.ofMinutes(4);
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(15);

    private final List<Process> started = new ArrayList<>();

    /** One run of the command, its stdout collected line by line. */
    private record Up(Process process, List<String> stdout) {

        String readyLine() {
            return stdout.stream().filter(line -> line.startsWith(ReadyLine.PREFIX)).findFirst().orElseThrow();
        }
    }

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
    }

    private static Path stderrOf(StackOptions options, String name) {
        return options.dataDir().resolveSibling(options.dataDir().getFileName() + "-" + name + ".err");
    }

    private Up up(StackOptions options, String name) throws Exception {
        Path stderr = stderrOf(options, name);
        Files.createDirectories(stderr.getParent());
        Process process = new ProcessBuilder(JavaProcess.javaExecutable(), "-cp",
                Path.of("target", "scimflow.jar") + java.io.File.pathSeparator + Path.of("target", "lib", "*"), "dev.scimflow.ops.Main",
                "up", "--data-dir", options.dataDir().toString(),
                "--ingress-port", Integer.toString(options.ingressPort()), "--audit-port", Integer.toString(options.auditPort()),
                "--worker-port", Integer.toString(options.workerPort()), "--kafka-port", Integer.toString(options.kafkaPort()),
                "--kafka-controller-port", Integer.toString(options.kafkaControllerPort()),
                "--postgres-port", Integer.toString(options.postgresPort()), "--events-port", Integer.toString(options.eventsPort()))
                .redirectError(stderr.toFile())
                .start();
        started.add(process);
        List<String> stdout = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(stdout::add);
            } catch (java.io.IOException ignored) {
                // the process is gone
            }
        }, "up-stdout");
        reader.setDaemon(true);
        reader.start();
        await().atMost(READY_WITHIN).until(() -> !process.isAlive()
                || stdout.stream().anyMatch(line -> line.startsWith(ReadyLine.PREFIX)));
        assertThat(process.isAlive()).as("scimflow up exited early; its stderr:%n%s", Files.readString(stderr)).isTrue();
        return new Up(process, stdout);
    }

    @Test
    void printsOneReadyLineAndStopsEverythingWithin15SecondsOfSigterm() throws Exception {
        StackOptions options = TestStacks.options(TestStacks.newDataDir("up-command"), EnumSet.allOf(Service.class));
        Up up = up(options, "run");

        assertThat(up.stdout()).hasSize(1);
        ReadyLine ready = ReadyLine.parse(up.readyLine());
        assertThat(ready.scimBaseUrl()).isEqualTo("http://127.0.0.1:" + options.ingressPort() + "/scim/v2");
        assertThat(ready.tenant()).isEqualTo("default");
        assertThat(ready.eventsUrl()).isEqualTo("http://127.0.0.1:" + options.eventsPort());
        List<ProcessHandle> processes = everyProcessOf(up, options);
        assertThat(processes).hasSizeGreaterThanOrEqualTo(6); // broker, four services, PostgreSQL

        Instant sigterm = Instant.now();
        up.process().destroy();

        assertThat(up.process().waitFor(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("scimflow up still running %s after SIGTERM", STOPPED_WITHIN).isTrue();
        assertThat(Duration.between(sigterm, Instant.now())).isLessThan(STOPPED_WITHIN);
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(new DataDir(options.dataDir()).stackFile()).doesNotExist();
        TestStacks.deleteDataDir(options.dataDir());
        Files.delete(stderrOf(options, "run"));
    }

    @Test
    void aStackKilledOutrightIsStoppedByItsWatchdogOrElseByTheNextUp() throws Exception {
        StackOptions options = TestStacks.options(TestStacks.newDataDir("up-killed"), EnumSet.allOf(Service.class));
        DataDir dataDir = new DataDir(options.dataDir());

        // up and its watchdog both killed: the parts run on, in sessions of their own, until the next up stops them
        Up killed = up(options, "killed");
        List<ProcessHandle> orphans = everyProcessOf(killed, options);
        ProcessHandle watchdog = orphans.stream().filter(UpCommandIT::isWatchdog).findFirst().orElseThrow();
        watchdog.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !watchdog.isAlive());
        killed.process().destroyForcibly().waitFor();
        orphans.remove(watchdog);
        assertThat(orphans).allMatch(ProcessHandle::isAlive);

        Up next = up(options, "next");
        assertThat(orphans).noneMatch(ProcessHandle::isAlive);
        assertThat(ReadyLine.parse(next.readyLine())).isEqualTo(ReadyLine.parse(killed.readyLine()));
        assertThat(Files.readString(stderrOf(options, "next")))
                .contains("left running by a stack that did not shut down cleanly");

        // up alone killed: its watchdog stops every part and frees the data directory
        List<ProcessHandle> parts = everyProcessOf(next, options);
        assertThat(parts).anyMatch(UpCommandIT::isWatchdog);
        next.process().destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(parts).noneMatch(ProcessHandle::isAlive));
        assertThat(dataDir.stackFile()).doesNotExist();
        assertThat(DataDirLock.isHeld(dataDir)).isFalse();
        assertThat(Files.readString(dataDir.log("watchdog"))).contains("ended without stopping its stack")
                .contains("left running by a stack that did not shut down cleanly");
        TestStacks.deleteDataDir(options.dataDir());
        Files.delete(stderrOf(options, "killed"));
        Files.delete(stderrOf(options, "next"));
    }

    private static boolean isWatchdog(ProcessHandle process) {
        return process.info().arguments().map(arguments -> List.of(arguments).contains(Watchdog.class.getName())).orElse(false);
    }

    /** The command's descendants, and PostgreSQL, which pg_ctl starts detached. */
    private static List<ProcessHandle> everyProcessOf(Up up, StackOptions options) {
        List<ProcessHandle> processes = new ArrayList<>(up.process().descendants().toList());
        LocalPostgres.postmasterOf(new DataDir(options.dataDir())).ifPresent(postmaster -> {
            processes.add(postmaster);
            processes.addAll(postmaster.descendants().toList());
        });
        return processes;
    }
}
