package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading CPU times from /proc/<pid>/stat, and adding up a process with everything it started. */
class ProcessTableTest {

    @TempDir
    Path proc;

    /** A stat line of {@code proc(5)}: pid (comm) state ppid ... utime stime cutime cstime ... starttime ... */
    static String stat(long pid, String comm, long ppid, long utime, long stime, long cutime, long cstime, long start) {
        return pid + " (" + comm + ") S " + ppid + " 1 1 0 -1 4194560 100 0 0 0 " + utime + " " + stime + " " + cutime + " "
                + cstime + " 20 0 1 0 " + start + " 1000000 200 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    @Test
    void fieldsAreCountedFromTheEndOfTheCommandNameWhateverItContains() {
        ProcessTable.Stat stat = ProcessTable.Stat.parse(stat(42, "postgres: postgres postgres 127.0.0.1(5) idle", 7, 11, 3, 5, 1, 999));

        assertThat(stat).isEqualTo(new ProcessTable.Stat(42, 7, 11, 3, 5, 1, 999));
        assertThat(stat.ticks()).isEqualTo(20);
    }

    @Test
    void aTreeIsTheProcessAndAllItsDescendantsAndNothingElse() throws Exception {
        write(100, "postgres", 1, 10, 5, 40, 2, 1000);
        write(101, "postgres: checkpointer", 100, 1, 1, 0, 0, 1001);
        write(102, "postgres: postgres x(1) idle", 100, 30, 10, 0, 0, 1002);
        write(103, "child of a backend", 102, 2, 0, 0, 0, 1003);
        write(200, "java", 1, 500, 50, 0, 0, 900);

        ProcessTable table = ProcessTable.read(proc).orElseThrow();
        assertThat(table.tree(100)).extracting(ProcessTable.Stat::pid).containsExactlyInAnyOrder(100L, 101L, 102L, 103L)
                .first().isEqualTo(100L);
        assertThat(table.tree(100).stream().mapToLong(ProcessTable.Stat::ticks).sum())
                .as("own time of all four plus what the postmaster reaped").isEqualTo(10 + 5 + 40 + 2 + 2 + 40 + 2);
        assertThat(table.tree(200)).extracting(ProcessTable.Stat::pid).containsExactly(200L);
        assertThat(table.tree(999)).isEmpty();
    }

    @Test
    void aBackendThatExitsMovesItsTimeToThePostmasterSoTheTreeLosesNothing() throws Exception {
        write(100, "postgres", 1, 10, 0, 0, 0, 1000);
        write(102, "postgres: backend", 100, 30, 10, 0, 0, 1002);
        CpuSample before = CpuSample.take(ProcessTable.read(proc).orElseThrow(), Map.of("postgres", 100L), 0);

        // the backend works 20 more ticks, exits, and is reaped: its 60 ticks land in the postmaster's cutime/cstime
        Files.delete(proc.resolve("102").resolve("stat"));
        Files.delete(proc.resolve("102"));
        write(100, "postgres", 1, 12, 0, 50, 10, 1000);
        CpuSample after = CpuSample.take(ProcessTable.read(proc).orElseThrow(), Map.of("postgres", 100L), 1);

        assertThat(after.parts().get("postgres").ticks() - before.parts().get("postgres").ticks()).isEqualTo(2 + 20);
        assertThat(after.parts().get("postgres").processes()).isEqualTo(1);
    }

    @Test
    void noProcFileSystemMeansNoTable() {
        assertThat(ProcessTable.read(proc.resolve("missing"))).isEmpty();
    }

    private void write(long pid, String comm, long ppid, long utime, long stime, long cutime, long cstime, long start)
            throws Exception {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(Long.toString(pid)).resolve("stat"), stat(pid, comm, ppid, utime, stime, cutime, cstime, start));
    }
}
