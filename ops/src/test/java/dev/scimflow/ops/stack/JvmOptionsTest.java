package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The services' and the broker's JVM options come from one place, and every other place that states them agrees. */
class JvmOptionsTest {

    private static final Path REPOSITORY = Path.of("..");

    @Test
    void longRunningJvmsGetTheC2CompilerTheSerialCollectorAndAtMost512MiB() {
        assertThat(JvmOptions.longRunning(Map.of())).isEqualTo(JvmOptions.DEFAULTS)
                .containsExactly("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC")
                .noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
        assertThat(JvmOptions.longRunning(Map.of(JvmOptions.VARIABLE, "  "))).isEqualTo(JvmOptions.DEFAULTS);
    }

    @Test
    void theVariableReplacesTheDefaults() {
        assertThat(JvmOptions.longRunning(Map.of(JvmOptions.VARIABLE, " -Xmx1g  -XX:+UseParallelGC\t-Dx=y ")))
                .containsExactly("-Xmx1g", "-XX:+UseParallelGC", "-Dx=y");
    }

    @Test
    void theDockerfilesRunTheServicesWithTheSameOptions() throws Exception {
        for (Service service : Service.values()) {
            String dockerfile = Files.readString(REPOSITORY.resolve(service.module()).resolve("Dockerfile"));
            assertThat(dockerfile).as(service.module()).contains("ENV JAVA_OPTS=\"" + JvmOptions.DEFAULT_TEXT + "\"")
                    .contains("exec java $JAVA_OPTS -jar");
        }
    }

    /**
     * The script as installed (its jars built), with a {@code java} that prints its arguments: every command but the load
     * generator's gets {@link JvmOptions#COMMAND}.
     */
    @Test
    void theScimflowScriptRunsEveryCommandButTheLoadGeneratorWithTheCommandsOptions(@TempDir Path installation) throws Exception {
        Files.copy(REPOSITORY.resolve("scimflow"), installation.resolve("scimflow"));
        Path target = installation.resolve("ops").resolve("target");
        Files.createDirectories(target.resolve("lib"));
        Files.createDirectories(target.resolve("kafka"));
        Path services = Files.createDirectories(target.resolve("services"));
        for (Service service : Service.values()) {
            Files.createFile(services.resolve(service.module() + "-exec.jar"));
        }
        Files.createFile(target.resolve("scimflow.jar"));
        Path bin = Files.createDirectories(installation.resolve("bin"));
        Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
        assertThat(bin.resolve("java").toFile().setExecutable(true)).isTrue();

        assertThat(javaArguments(installation, "rebuild", "store")).startsWith(JvmOptions.COMMAND_TEXT + " -cp ");
        assertThat(javaArguments(installation, "up")).startsWith(JvmOptions.COMMAND_TEXT + " -cp ");
        assertThat(javaArguments(installation, "bench", "--only", "create")).startsWith("-cp ");
        assertThat(javaArguments(installation, "events", "bench")).startsWith("-cp ");
        assertThat(javaArguments(installation)).startsWith(JvmOptions.COMMAND_TEXT + " -cp ").endsWith("dev.scimflow.ops.Main");
    }

    private static String javaArguments(Path installation, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", installation.resolve("scimflow").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", installation.resolve("bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void dockerComposeRunsTheBrokerWithTheSameOptions() throws Exception {
        String compose = Files.readString(REPOSITORY.resolve("docker-compose.yml"));
        List<String> broker = new java.util.ArrayList<>();
        for (String variable : List.of("KAFKA_HEAP_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS")) {
            Matcher value = Pattern.compile(variable + ": \"([^\"]*)\"").matcher(compose);
            assertThat(value.find()).as(variable).isTrue();
            broker.addAll(Arrays.asList(value.group(1).split(" ")));
        }
        assertThat(broker).containsAll(JvmOptions.DEFAULTS).noneMatch(option -> option.startsWith("-Xms"))
                .noneMatch(option -> option.contains("G1GC"));
    }
}
