package dev.scimflow.ops.bench;

import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.KafkaProducer;

import dev.scimflow.bench.SeedEvents;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.recovery.KafkaClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scimflow bench seed}: synthetic CREATED user events to {@code scim.events}, for a large store quickly. */
@Command(name = "seed", mixinStandardHelpOptions = true, description = {
        "Publishes COUNT synthetic CREATED user events (seed<i>@example.com, externalId ext-<i>) of one tenant to"
                + " scim.events, so that `scimflow rebuild store` loads a store of that size quickly; `scimflow bench walk`"
                + " then reads it back (docs/BENCHMARK.md, \"One million users\")."}, footer = {"", "Example:",
                        "  scimflow bench seed 127.0.0.1:19092 default 1000000"})
public final class BenchSeedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KAFKA_BOOTSTRAP", description = "The broker, e.g. 127.0.0.1:19092 (the stack's kafkaBootstrap).")
    String bootstrap;

    @Parameters(index = "1", paramLabel = "TENANT", description = "The tenant the users belong to, e.g. default.")
    String tenant;

    @Parameters(index = "2", paramLabel = "COUNT", description = "How many users.")
    int count;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new OperatorError("COUNT must be at least 1");
        }
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
            SeedEvents.publish(producer, tenant, count);
        }
        spec.commandLine().getOut().printf("seeded %d events in %d ms%n", count, (System.nanoTime() - t0) / 1_000_000);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
