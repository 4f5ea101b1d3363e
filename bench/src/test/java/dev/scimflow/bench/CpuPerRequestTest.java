package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The CPU a run cost per process and per request, from samples before and after it. */
class CpuPerRequestTest {

    private final BenchResults.Cpu cpu = Fixtures.cpu();

    @Test
    void eachProcessIsChargedTheCpuItUsedBetweenTheSamplesDividedByTheRequests() {
        assertThat(cpu.seconds()).isEqualTo(10.0);
        assertThat(cpu.requests()).isEqualTo(2_000);
        BenchResults.ProcessCpu postgres = cpu.processes().get(0);
        assertThat(postgres).isEqualTo(new BenchResults.ProcessCpu("postgres", 100L, 5, 3.0, 0.3, 1.5, null));
        BenchResults.ProcessCpu worker = cpu.processes().get(1);
        assertThat(worker.cpuSeconds()).isEqualTo(5.0);
        assertThat(worker.cores()).isEqualTo(0.5);
        assertThat(worker.msPerRequest()).isEqualTo(2.5);
    }

    @Test
    void aProcessThatRestartedDuringTheRunIsNamedAndLeftOutOfTheTotals() {
        BenchResults.ProcessCpu ingress = cpu.processes().get(2);
        assertThat(ingress.name()).isEqualTo("scim-ingress");
        assertThat(ingress.cpuSeconds()).isNull();
        assertThat(ingress.msPerRequest()).isNull();
        assertThat(ingress.note()).isEqualTo("restarted during the run (pid 300 -> 301): not counted");
        assertThat(cpu.stack().name()).isEqualTo("stack without scim-ingress");
        assertThat(cpu.stack().cpuSeconds()).isEqualTo(8.0);
        assertThat(cpu.stack().msPerRequest()).isEqualTo(4.0);
        assertThat(cpu.notes()).singleElement().asString().contains("scim-ingress");
    }

    @Test
    void theLoadGeneratorComesLastAndTheGrandTotalAddsItToTheStack() {
        BenchResults.ProcessCpu bench = cpu.processes().get(cpu.processes().size() - 1);
        assertThat(bench.name()).isEqualTo(CpuPerRequest.BENCH);
        assertThat(bench.msPerRequest()).isEqualTo(1.0);
        assertThat(cpu.all().cpuSeconds()).isEqualTo(10.0);
        assertThat(cpu.all().cores()).isEqualTo(1.0);
        assertThat(cpu.all().msPerRequest()).isEqualTo(5.0);
    }

    @Test
    void theSameProcessNumberWithAnotherStartTimeIsAnotherProcess() {
        CpuSample before = new CpuSample(0, Fixtures.parts(new CpuSample.Part("kafka", 7, 100, 1, 500)));
        CpuSample after = new CpuSample(1_000_000_000L, Fixtures.parts(new CpuSample.Part("kafka", 7, 250, 1, 40)));

        BenchResults.Cpu result = CpuPerRequest.between(before, after, List.of("kafka"), 10, 100, List.of());

        assertThat(result.processes().get(0).cpuSeconds()).isNull();
        assertThat(result.processes().get(0).note()).startsWith("restarted during the run");
    }

    @Test
    void aPartMissingFromASampleHasNoFiguresAndARemoteStackOnlyTheLoadGenerator() {
        CpuSample before = new CpuSample(0, Fixtures.parts(new CpuSample.Part(CpuPerRequest.BENCH, 1, 1, 1, 0)));
        CpuSample after = new CpuSample(2_000_000_000L, Fixtures.parts(new CpuSample.Part("kafka", 7, 1, 1, 40),
                new CpuSample.Part(CpuPerRequest.BENCH, 1, 1, 1, 100)));

        BenchResults.Cpu local = CpuPerRequest.between(before, after, List.of("kafka"), 0, 100, List.of());
        assertThat(local.processes().get(0).note()).isEqualTo("not running when the run started");
        assertThat(local.processes().get(1).cpuSeconds()).isEqualTo(1.0);
        assertThat(local.processes().get(1).cores()).isEqualTo(0.5);
        assertThat(local.processes().get(1).msPerRequest()).as("no requests, no per-request figure").isNull();

        BenchResults.Cpu remote = CpuPerRequest.between(before, after, List.of(), 50, 100, List.of("the stack is remote"));
        assertThat(remote.processes()).extracting(BenchResults.ProcessCpu::name).containsExactly(CpuPerRequest.BENCH);
        assertThat(remote.processes().get(0).msPerRequest()).isEqualTo(20.0);
        assertThat(remote.stack()).isNull();
        assertThat(remote.all()).isNull();
        assertThat(remote.notes()).containsExactly("the stack is remote");
    }
}
