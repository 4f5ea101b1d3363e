package dev.scimflow.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.scimflow.ops.Installation;
import dev.scimflow.ops.stack.JvmOptions;
import dev.scimflow.ops.stack.ServiceLaunch;

/**
 * The service JVMs as the system tests start them: the services' jars of the installation the ops build lays out in
 * {@code ops/target}, with the JVM options and the class data sharing archives of {@code scimflow up}
 * ({@link JvmOptions}, {@link ServiceLaunch}), so that the services under test run as they run for operators. The
 * archives are those of that installation: made once per build, by whichever starts the services first (the ops
 * module's integration tests, or the first test here).
 */
public final class ServiceJvms {

    public static final List<String> MODULES = List.of("provisioning-worker", "scim-ingress", "audit-service");
    private static final Installation OPS = new Installation(
            Path.of(System.getProperty("scimflow.jars", ".."), "ops", "target").toAbsolutePath().normalize());
    private static final ServiceLaunch LAUNCH = ServiceLaunch.of(OPS, JvmOptions.longRunning(),
            line -> System.out.println("system-tests: " + line));
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(4);

    private ServiceJvms() {
    }

    /** The ops installation the services run from (its {@code services/}, {@code kafka/} and {@code cds/}). */
    public static Installation installation() {
        return OPS;
    }

    /**
     * Makes the archives of all three services that have none yet, at once, with training runs in this environment
     * (the services' database and broker).
     */
    public static void prepare(Map<String, String> environment) {
        List<CompletableFuture<Boolean>> trainings = new ArrayList<>();
        for (String module : MODULES) {
            trainings.add(CompletableFuture.supplyAsync(() -> LAUNCH.prepare(OPS.serviceJar(module), environment,
                    Path.of("target", "cds-training", module + ".log"), TRAINING_TIMEOUT),
                    runnable -> new Thread(runnable,
                            "training-" + module).start()));
        }
        trainings.forEach(CompletableFuture::join);
    }

    /** The command line that starts a service. */
    public static List<String> command(String module) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAUNCH.arguments(OPS.serviceJar(module)));
        return command;
    }
}
