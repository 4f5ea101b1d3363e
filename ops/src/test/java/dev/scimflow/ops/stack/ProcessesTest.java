package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProcessesTest {

    @Test
    void aProcessThatHonoursSigtermExitsPolitely() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "100").start();
        assertThat(Processes.terminate(sleeper.toHandle(), Duration.ofSeconds(5))).isTrue();
        assertThat(sleeper.isAlive()).isFalse();
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledWithEverythingItStarted() throws Exception {
        Process stubborn = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 100 & sleep 100 & wait").start();
        await().atMost(Duration.ofSeconds(5)).until(() -> stubborn.toHandle().descendants().count() == 2);
        List<ProcessHandle> children = stubborn.toHandle().descendants().toList();

        assertThat(Processes.terminate(stubborn.toHandle(), Duration.ofMillis(500))).isFalse();

        assertThat(stubborn.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aRecycledPidIsNotTheSameProcess() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "100").start();
        try {
            var startedAt = sleeper.toHandle().info().startInstant().orElseThrow();
            assertThat(Processes.isSame(sleeper.toHandle(), startedAt)).isTrue();
            assertThat(Processes.isSame(sleeper.toHandle(), startedAt.minusSeconds(60))).isFalse();
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }
}
