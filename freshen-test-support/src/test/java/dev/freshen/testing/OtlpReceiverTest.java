package dev.freshen.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtlpReceiverTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    @Test
    void keepsTheSpansOfEveryExportWithTheirServiceAndParent() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            assertEquals(200, post(receiver, "/v1/traces", request("freshen-watcher", "b7ad6b7169203331", ""), false));
            assertEquals(200, post(receiver, "/v1/traces", request("freshen-builder", "00f067aa0ba902b7", "b7ad6b7169203331"), true));

            List<OtlpReceiver.Span> spans = receiver.trace(TRACE);
            assertEquals(2, spans.size(), spans.toString());
            assertEquals(new OtlpReceiver.Span(TRACE, "b7ad6b7169203331", "", "freshen.force-update publish",
                    "SPAN_KIND_PRODUCER", "freshen-watcher", Map.of("messaging.system", "kafka")), spans.get(0));
            assertTrue(spans.get(0).isRoot());
            assertEquals("b7ad6b7169203331", spans.get(1).parentSpanId());
            assertEquals("freshen-builder", spans.get(1).service());
            assertTrue(receiver.rejected().isEmpty(), receiver.rejected().toString());
        }
    }

    @Test
    void refusesWhatIsNotAnOtlpTraceExport() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            assertEquals(404, post(receiver, "/v1/metrics", request("x", "b7ad6b7169203331", ""), false));
            assertEquals(400, HTTP.send(HttpRequest.newBuilder(receiver.endpoint().resolve("/v1/traces"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{0x0a, 0x05, 0x01})).build(), // truncated
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertTrue(receiver.spans().isEmpty());
            assertEquals(2, receiver.rejected().size(), receiver.rejected().toString());
        }
    }

    private static ExportTraceServiceRequest request(String service, String spanId, String parent) {
        HexFormat hex = HexFormat.of();
        Span span = Span.newBuilder().setTraceId(ByteString.copyFrom(hex.parseHex(TRACE)))
                .setSpanId(ByteString.copyFrom(hex.parseHex(spanId)))
                .setParentSpanId(ByteString.copyFrom(hex.parseHex(parent)))
                .setName("freshen.force-update publish").setKind(Span.SpanKind.SPAN_KIND_PRODUCER)
                .addAttributes(attribute("messaging.system", "kafka")).build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static int post(OtlpReceiver receiver, String path, ExportTraceServiceRequest request, boolean gzip) throws Exception {
        byte[] body = request.toByteArray();
        HttpRequest.Builder builder = HttpRequest.newBuilder(receiver.endpoint().resolve(path))
                .header("Content-Type", "application/x-protobuf");
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(body);
            }
            body = zipped.toByteArray();
            builder.header("Content-Encoding", "gzip");
        }
        return HTTP.send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
