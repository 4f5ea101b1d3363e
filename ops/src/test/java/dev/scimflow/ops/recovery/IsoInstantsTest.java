package dev.scimflow.ops.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;

/** The quick reading of instants gives what {@link Instant#parse} and the event codec give, for every text. */
class IsoInstantsTest {

    @Test
    void everyTextReadsAsInstantParseReadsIt() {
        List<String> texts = new ArrayList<>(List.of("2026-11-28T10:00:00Z", "2024-02-29T23:59:59.999999999Z", "2023-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T23:60:00Z", "2016-12-31T23:59:60Z",
                "2026-11-28T10:00:00.Z", "2026-11-28T10:00:00.1234567890Z", "2026-11-28T10:00:00+01:00", "2026-11-28t10:00:00Z",
                "2026-11-28T10:00:00z", "2026-11-28T10:00Z", "+12026-11-28T10:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z",
                "2026-1a-28T10:00:00Z", "2026-11-28T10:00:00.12a4Z", "2026-11-28 10:00:00Z", ""));
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L), switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            });
            texts.add(instant.toString());
            String text = instant.toString();
            if (text.contains(".")) {
                texts.add(text.substring(0, text.length() - 1 - random.nextInt(text.length() - text.indexOf('.') - 1)) + "Z");
            }
        }

        for (String text : texts) {
            assertThat(read(IsoInstants::parse, text)).as(text).isEqualTo(read(Instant::parse, text));
        }
    }

    @Test
    void eventsDecodeAsTheCodecDecodesThem() {
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            Instant changed = Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
            ScimEvent event = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "t", ResourceType.USER, "u" + i, EventType.PATCHED, i,
                    null, EventCodec.mapper().readTree("{\"id\":\"u\",\"meta\":{\"created\":\"" + changed + "\"}}"), null, "r", changed,
                    i % 10 == 0 ? null : changed.plusNanos(random.nextInt(1_000_000)), 1);
            byte[] json = EventCodec.encode(event);

            assertThat(IsoInstants.EVENTS.readValue(json, ScimEvent.class)).isEqualTo(EventCodec.event(json));
        }
    }

    private static Object read(java.util.function.Function<String, Instant> parse, String text) {
        try {
            return parse.apply(text);
        } catch (DateTimeParseException e) {
            return "unparseable";
        }
    }
}
