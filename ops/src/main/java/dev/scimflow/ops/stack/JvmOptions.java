package dev.scimflow.ops.stack;

import java.util.List;
import java.util.Map;

/**
 * The one place the JVM options of scimflow's processes are decided: the three services and the Kafka broker as
 * {@code scimflow up} runs them, the audit service that {@code scimflow rebuild audit} runs, and the processes the
 * system tests start. The Dockerfiles and {@code docker-compose.yml} repeat {@link #DEFAULT_TEXT}; a test holds them to
 * it.
 *
 * <p>Why these: the services and the broker run for hours, so they get the C2 compiler (full tiered compilation) for
 * their steady-state speed; start-up is kept short by class data sharing ({@link ServiceLaunch}) instead of by
 * stopping at C1. Each JVM gets at most 512 MiB of heap, and exits on running out of it so that the supervisor starts
 * it afresh. The serial collector, because five JVMs share a machine that may have two cores: it has no concurrent
 * or parallel GC threads to compete with the other processes for those cores, and the least per-object overhead (no G1
 * barriers). Under load the services' young collections take 1–9 ms and the broker's 12–26 ms every few seconds;
 * ParallelGC (shorter pauses, more of them) and G1 (the JVM's own choice on a 2-core machine with plenty of memory)
 * were measured against it on the same load and did no better (docs/BENCHMARK.md, "The steady state").
 */
public final class JvmOptions {

    /** Environment variable that replaces {@link #DEFAULTS} for the services and the broker, e.g. to profile one. */
    public static final String VARIABLE = "SCIMFLOW_SERVICE_JVM_OPTIONS";

    /** {@link #DEFAULTS} as one line, for help texts, Dockerfiles and docker-compose.yml. */
    public static final String DEFAULT_TEXT = "-Xmx512m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC";

    /** The options of every long-running scimflow JVM: services and broker. */
    public static final List<String> DEFAULTS = List.of(DEFAULT_TEXT.split(" "));

    /**
     * One-shot tools that exit within seconds (formatting the broker's log directory, the class data sharing
     * training run): the C1 compiler alone finishes them sooner, and their heap needs are small.
     */
    public static final List<String> SHORT_LIVED = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * The {@code scimflow} command's own JVM, as the {@code scimflow} script starts it for every command but {@code bench}
     * (a test holds the script to this line): its commands run for seconds to minutes, where the C2 compiler costs more
     * than it saves. {@code scimflow rebuild store} of 100,000 users took 19,600 users/s with C2, whose compiler threads
     * used 3.9 of the JVM's 8.7 CPU-seconds, and 27,000 users/s with C1 alone; of 1,000,000 users the same with either
     * (PostgreSQL is then the limit). The load generator of {@code scimflow bench} keeps the JVM's defaults: it runs
     * for minutes on the cores of the stack it measures, and every figure of docs/BENCHMARK.md was taken with them.
     */
    public static final String COMMAND_TEXT = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /** {@link #COMMAND_TEXT} as a list. */
    public static final List<String> COMMAND = List.of(COMMAND_TEXT.split(" "));

    /**
     * The watchdog of {@code scimflow up} ({@link Watchdog}): it waits, then stops processes; the least memory and
     * compiler a JVM can do with.
     */
    public static final List<String> WATCHDOG = List.of("-Xmx24m", "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:CICompilerCount=1");

    private JvmOptions() {
    }

    /** The options of the services and the broker: {@value #VARIABLE} when set (space-separated), else {@link #DEFAULTS}. */
    public static List<String> longRunning() {
        return longRunning(System.getenv());
    }

    static List<String> longRunning(Map<String, String> environment) {
        String configured = environment.get(VARIABLE);
        return configured == null || configured.isBlank() ? DEFAULTS : List.of(configured.trim().split("\\s+"));
    }
}
