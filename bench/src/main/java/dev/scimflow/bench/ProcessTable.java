package dev.scimflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes of this machine as {@code /proc/<pid>/stat} shows them at one moment: enough of each to add up the CPU
 * time of a process and everything it started. CPU times are in clock ticks ({@code USER_HZ}, 100 a second on Linux).
 */
public final class ProcessTable {

    /**
     * One process. {@code utime}/{@code stime} are its own CPU time; {@code cutime}/{@code cstime} that of its children
     * that have exited and been waited for, which the kernel adds to the parent when it reaps them. {@code startTime}
     * tells a process from a later one that got the same pid.
     */
    public record Stat(long pid, long ppid, long utime, long stime, long cutime, long cstime, long startTime) {

        /**
         * Parses a {@code stat} line. The command name, field 2, is in parentheses and may contain spaces and
         * parentheses itself, so the fields are counted from the last {@code ')'}.
         */
        public static Stat parse(String line) {
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
            }
            long pid = Long.parseLong(line.substring(0, open).trim());
            // after the name: field 3 (state) is rest[0], so field n is rest[n - 3]
            String[] rest = line.substring(close + 1).trim().split("\\s+");
            return new Stat(pid, Long.parseLong(rest[4 - 3]), Long.parseLong(rest[14 - 3]), Long.parseLong(rest[15 - 3]),
                    Long.parseLong(rest[16 - 3]), Long.parseLong(rest[17 - 3]), Long.parseLong(rest[22 - 3]));
        }

        /** All CPU time this process accounts for: its own and that of its reaped children. */
        public long ticks() {
            return utime + stime + cutime + cstime;
        }
    }

    private final Map<Long, Stat> byPid;

    ProcessTable(Map<Long, Stat> byPid) {
        this.byPid = Map.copyOf(byPid);
    }

    /** Reads every process under {@code proc} (normally {@code /proc}); empty where there is no such file system. */
    public static Optional<ProcessTable> read(Path proc) {
        if (!Files.isDirectory(proc)) {
            return Optional.empty();
        }
        Map<Long, Stat> byPid = new HashMap<>();
        try (var entries = Files.list(proc)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    Stat stat = Stat.parse(Files.readString(entry.resolve("stat")));
                    byPid.put(stat.pid(), stat);
                } catch (IOException | RuntimeException gone) {
                    // the process exited while the table was read: its CPU time is now its parent's
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return byPid.isEmpty() ? Optional.empty() : Optional.of(new ProcessTable(byPid));
    }

    public Optional<Stat> process(long pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    /** The process and all its descendants, the process first; empty when it is not running. */
    public List<Stat> tree(long pid) {
        Stat root = byPid.get(pid);
        if (root == null) {
            return List.of();
        }
        Map<Long, List<Stat>> children = new HashMap<>();
        byPid.values().forEach(stat -> children.computeIfAbsent(stat.ppid(), parent -> new ArrayList<>()).add(stat));
        List<Stat> tree = new ArrayList<>(List.of(root));
        for (int i = 0; i < tree.size(); i++) {
            tree.addAll(children.getOrDefault(tree.get(i).pid(), List.of()));
        }
        return tree;
    }

    /**
     * The CPU time of the process and all its descendants, those that exited and were reaped included, in clock ticks;
     * 0 when it is not running.
     */
    public long treeTicks(long pid) {
        return tree(pid).stream().mapToLong(Stat::ticks).sum();
    }
}
