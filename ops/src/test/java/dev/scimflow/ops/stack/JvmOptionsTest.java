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
