package dev.scimflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceParentTest {

    private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theTraceIdIsReadFromTheLastTraceparentHeader() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceParent.HEADER, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00".getBytes(StandardCharsets.UTF_8));
        headers.add(TraceParent.HEADER, SAMPLED.getBytes(StandardCharsets.UTF_8));

        assertThat(TraceParent.of(headers)).isEqualTo(SAMPLED);
        assertThat(TraceParent.traceId(headers)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aRecordWithoutOrWithAMalformedTraceparentHasNoTrace() {
        assertThat(TraceParent.traceId(new RecordHeaders())).isNull();
        assertThat(TraceParent.traceId((String) null)).isNull();
        assertThat(TraceParent.traceId("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceParent.traceId("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceParent.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isNull();
        assertThat(TraceParent.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceParent.traceId(SAMPLED + "-extra")).isNull();
    }
}
