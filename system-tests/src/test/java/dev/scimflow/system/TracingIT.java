package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import dev.scimflow.system.ScimHttp.Answer;
import dev.scimflow.system.TraceReceiver.ReceivedSpan;

/**
 * One request followed through the pipeline as an operator follows it in a tracing backend: the ingress, the worker
 * and the audit service each export spans of the request's trace, linked parent to child across {@code scim.changes}
 * and {@code scim.events}, and the audit record names the trace.
 */
class TracingIT {

    private final Pipeline pipeline = Pipeline.get();

    @Test
    void aDeactivationIsOneTraceFromTheIngressThroughTheWorkerToTheAuditRecord() {
        Pipeline.Tenant tenant = pipeline.newTenant();
        ScimHttp idp = new ScimHttp(pipeline.scimBaseUrl, tenant.token(), "Okta SCIM 2.0 Client");
        Answer created = idp.post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"traced@example.com","active":true}""");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asString();

        // the IdP (or a gateway in front of the ingress) starts the trace; the pipeline continues it
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String callerSpanId = HexFormat.of().formatHex(randomBytes(8));
        Answer deactivated = idp.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"active":false}}]}""",
                Map.of("traceparent", "00-" + traceId + "-" + callerSpanId + "-01"));
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.header("X-Trace-Id")).as("the answer names its trace").isEqualTo(traceId);

        // each service exports its spans as they end, in batches: the ingress's request span ends last of its own
        List<ReceivedSpan> spans = await("the three services' spans of trace " + traceId).atMost(Duration.ofSeconds(30))
                .until(() -> pipeline.traces.spansOf(traceId), received -> has(received, "scim-ingress", "SERVER")
                        && has(received, "scim-ingress", "PRODUCER") && has(received, "provisioning-worker", "CONSUMER")
                        && has(received, "audit-service", "CONSUMER"));

        ReceivedSpan request = single(spans, "scim-ingress", "SERVER");
        assertThat(request.parentSpanId()).isEqualTo(callerSpanId);
        ReceivedSpan sent = single(spans, "scim-ingress", "PRODUCER");
        assertThat(sent.name()).isEqualTo("scim.changes send");
        assertThat(sent.parentSpanId()).isEqualTo(request.spanId());
        ReceivedSpan applied = single(spans, "provisioning-worker", "CONSUMER");
        assertThat(applied.name()).isEqualTo("scim.changes apply");
        assertThat(applied.parentSpanId()).isEqualTo(sent.spanId());
        ReceivedSpan audited = single(spans, "audit-service", "CONSUMER");
        assertThat(audited.name()).isEqualTo("scim.events process");
        // the event went through the outbox: the relay put the apply span's context on the scim.events record
        assertThat(audited.parentSpanId()).isEqualTo(applied.spanId());

        ScimHttp audit = ScimHttp.operatorApi(pipeline);
        await().untilAsserted(() -> {
            Answer records = audit.get("/api/v1/deactivations?tenant=" + tenant.name());
            assertThat(records.body().get("items")).hasSize(1);
            assertThat(records.body().at("/items/0/userId").asString()).isEqualTo(id);
            assertThat(records.body().at("/items/0/traceId").asString()).isEqualTo(traceId);
        });
    }

    private static boolean has(List<ReceivedSpan> spans, String service, String kind) {
        return spans.stream().anyMatch(span -> span.service().equals(service) && span.kind().equals("SPAN_KIND_" + kind));
    }

    private static ReceivedSpan single(List<ReceivedSpan> spans, String service, String kind) {
        List<ReceivedSpan> found = spans.stream()
                .filter(span -> span.service().equals(service) && span.kind().equals("SPAN_KIND_" + kind)).toList();
        assertThat(found).as("%s spans of %s in %s", kind, service, spans).hasSize(1);
        return found.get(0);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
