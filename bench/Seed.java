import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import dev.scimflow.events.*;
import dev.scimflow.ops.recovery.KafkaClients;

/**
 * Publishes N synthetic CREATED user events for one tenant to scim.events, so that `scimflow rebuild store` can load
 * a store of that size quickly (docs/BENCHMARK.md, "One million users"). Run from the repository root:
 * java -cp "ops/target/scimflow.jar:ops/target/lib/*" bench/Seed.java KAFKA_BOOTSTRAP TENANT COUNT
 */
public class Seed {
  public static void main(String[] a) throws Exception {
    String bootstrap = a[0]; String tenant = a[1]; int n = Integer.parseInt(a[2]);
    String snapshot = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s","userName":"seed%d@example.com","externalId":"ext-%d","active":true,
         "name":{"givenName":"Seed","familyName":"User %d"},"emails":[{"value":"seed%d@example.com","primary":true}],
         "meta":{"resourceType":"User","created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z","version":"W/\\"1\\""}}""";
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
      for (int i = 0; i < n; i++) {
        String id = UUID.nameUUIDFromBytes(("seed-" + i).getBytes(StandardCharsets.UTF_8)).toString();
        ScimEvent created = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), tenant, ResourceType.USER, id,
            EventType.CREATED, 1, null, EventCodec.mapper().readTree(snapshot.formatted(id, i, i, i, i)), null, "seed-" + i,
            Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"), ScimEvent.SCHEMA_VERSION);
        producer.send(new ProducerRecord<>(Topics.EVENTS, created.key().getBytes(StandardCharsets.UTF_8), EventCodec.encode(created)));
      }
    }
    System.out.printf("seeded %d events in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
  }
}
