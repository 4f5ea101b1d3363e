package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision with real OS processes: a part that dies comes back, a stopped part stays down. */
class SupervisedPartTest {

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<String> said = new CopyOnWriteArrayList<>();
    private final AtomicInteger restartsSeen = new AtomicInteger();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private SupervisedPart supervise(String script) {
        StackPart part = new StackPart() {
            @Override
            public String name() {
                return "worker";
            }

            @Override
            public ProcessHandle start() throws Exception {
                return new ProcessBuilder("sh", "-c", script).start().toHandle();
            }

            @Override
            public void stop(ProcessHandle process, Duration grace) {
                Processes.terminate(process, grace);
            }
        };
        return new SupervisedPart(part, scheduler, said::add, restartsSeen::incrementAndGet);
    }

    @Test
    void aProcessThatDiesIsRestartedAndTheRestartIsReported() throws Exception {
        SupervisedPart part = supervise("sleep 100");
        part.start();
        ProcessHandle first = part.process().orElseThrow();

        first.destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> part.restarts() == 1);
        ProcessHandle second = part.process().orElseThrow();
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(restartsSeen).hasValue(1);
        assertThat(said).anySatisfy(line -> assertThat(line).contains("worker (pid " + first.pid() + ") exited unexpectedly"));
        part.stop(Duration.ofSeconds(2));
        assertThat(second.isAlive()).isFalse();
    }

    @Test
    void aStoppedProcessIsNotRestarted() throws Exception {
        SupervisedPart part = supervise("sleep 100");
        part.start();
        ProcessHandle process = part.process().orElseThrow();

        part.stop(Duration.ofSeconds(2));

        assertThat(process.isAlive()).isFalse();
        // longer than the first back-off: a restart would have happened by now
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> part.process().isEmpty());
        assertThat(part.restarts()).isZero();
    }

    @Test
    void aProcessThatKeepsDyingIsRestartedWithGrowingBackOff() throws Exception {
        SupervisedPart part = supervise("exit 3");
        part.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> part.restarts() >= 2);

        part.stop(Duration.ofSeconds(1));
        assertThat(said).filteredOn(line -> line.contains("exited unexpectedly"))
                .extracting(line -> line.replaceAll(".*restarting it in (\\d+) s", "$1"))
                .startsWith("1", "2");
    }
}
