package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.scimflow.ops.Progress;

/** Which command line a service gets: its archive when one was made for exactly this jar, the jar as it is otherwise. */
class ServiceLaunchTest {

    private static final List<String> OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

    @TempDir
    Path temp;

    @Test
    void withoutAnArchiveTheJarRunsAsItIs() throws Exception {
        Path jar = Files.writeString(temp.resolve("scim-ingress-exec.jar"), "jar");
        ServiceLaunch launch = new ServiceLaunch(temp.resolve("cds"), OPTIONS, Progress.silent());

        assertThat(launch.arguments(jar)).containsExactly("-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString());
    }

    @Test
    void anArchiveMadeForThisJarIsUsedWithTheExtractedJar() throws Exception {
        Path jar = Files.writeString(temp.resolve("scim-ingress-exec.jar"), "jar");
        ServiceLaunch launch = new ServiceLaunch(temp.resolve("cds"), OPTIONS, Progress.silent());
        Path directory = madeArchive(launch, jar);

        assertThat(directory.getParent()).isEqualTo(temp.resolve("cds"));
        assertThat(directory.getFileName().toString()).matches("scim-ingress-exec-[0-9a-f]{16}");
        assertThat(launch.arguments(jar)).containsExactly("-Xmx512m", "-XX:+UseSerialGC",
                "-XX:SharedArchiveFile=" + directory.resolve(ServiceLaunch.ARCHIVE),
                "-jar", directory.resolve(ServiceLaunch.EXTRACTED).resolve("scim-ingress-exec.jar").toString());
    }

    @Test
    void aRebuiltJarOrOtherOptionsDoNotUseAnArchiveMadeBefore() throws Exception {
        Path jar = Files.writeString(temp.resolve("scim-ingress-exec.jar"), "jar");
        ServiceLaunch launch = new ServiceLaunch(temp.resolve("cds"), OPTIONS, Progress.silent());
        Path before = madeArchive(launch, jar);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(launch.directory(jar)).isNotEqualTo(before);
        assertThat(launch.arguments(jar)).contains("-jar", jar.toAbsolutePath().toString())
                .noneMatch(argument -> argument.startsWith("-XX:SharedArchiveFile"));

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        Path other = madeArchive(launch, jar);
        ServiceLaunch debugging = new ServiceLaunch(temp.resolve("cds"), List.of("-Xmx512m", "-XX:+UseParallelGC"), Progress.silent());
        assertThat(debugging.directory(jar)).isNotEqualTo(other);
        assertThat(debugging.arguments(jar)).noneMatch(argument -> argument.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void sharingTurnedOffInTheOptionsMeansNoArchiveAndNoTraining() throws Exception {
        Path jar = Files.writeString(temp.resolve("scim-ingress-exec.jar"), "jar");
        List<String> off = List.of("-Xmx512m", "-Xshare:off");
        ServiceLaunch launch = new ServiceLaunch(temp.resolve("cds"), off, Progress.silent());
        madeArchive(launch, jar);

        assertThat(launch.arguments(jar)).containsExactly("-Xmx512m", "-Xshare:off", "-jar", jar.toAbsolutePath().toString());
        assertThat(launch.prepare(jar, Map.of(), temp.resolve("training.log"), Duration.ofSeconds(5))).isFalse();
        assertThat(temp.resolve("training.log")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-XX:StartFlightRecording=filename=x.jfr", "-javaagent:agent.jar", "-agentpath:libasyncProfiler.so=start"})
    void profilersAndAgentsRunWithoutTheArchiveTheyWouldCrash(String profiler) throws Exception {
        Path jar = Files.writeString(temp.resolve("service.jar"), "a jar");
        List<String> options = List.of("-Xmx512m", profiler);
        ServiceLaunch launch = new ServiceLaunch(temp.resolve("cds"), options, Progress.silent());
        madeArchive(launch, jar);

        assertThat(launch.arguments(jar)).containsExactly("-Xmx512m", profiler, "-jar", jar.toAbsolutePath().toString());
        assertThat(launch.prepare(jar, Map.of(), temp.resolve("training.log"), Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void aJarThatCannotBeExtractedStartsWithoutAnArchive() throws Exception {
        Path jar = Files.writeString(temp.resolve("not-a-jar.jar"), "not a jar");
        ServiceLaunch launch = new ServiceLaunch(temp.resolve("cds"), OPTIONS, Progress.silent());

        assertThat(launch.prepare(jar, Map.of(), temp.resolve("training.log"), Duration.ofSeconds(60))).isFalse();
        assertThat(launch.arguments(jar)).containsExactly("-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString());
        assertThat(temp.resolve("training.log")).exists();
    }

    /** What a finished {@link ServiceLaunch#prepare} leaves: the extracted jar and the archive. */
    private static Path madeArchive(ServiceLaunch launch, Path jar) throws Exception {
        Path directory = launch.directory(jar);
        Files.createDirectories(directory.resolve(ServiceLaunch.EXTRACTED));
        Files.writeString(directory.resolve(ServiceLaunch.EXTRACTED).resolve(jar.getFileName()), "extracted");
        Files.writeString(directory.resolve(ServiceLaunch.ARCHIVE), "archive");
        return directory;
    }
}
