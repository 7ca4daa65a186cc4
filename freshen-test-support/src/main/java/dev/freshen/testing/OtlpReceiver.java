package dev.freshen.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A small OpenTelemetry collector for tests: an OTLP/HTTP receiver on 127.0.0.1 (a free port) that takes
 * {@code POST /v1/traces} with a protobuf {@code ExportTraceServiceRequest} (optionally gzip-encoded), as the OTLP
 * exporters send it with protocol {@code http/protobuf}, and keeps every span, from any number of processes. Decoding
 * uses the OTLP protobuf classes of {@code io.opentelemetry.proto:opentelemetry-proto}. Point a Quarkus service at it
 * with {@link #quarkusConfig()}.
 */
public final class OtlpReceiver implements AutoCloseable {

    /**
     * One received span. Ids are lower-case hex (trace 32 digits, span 16); {@code parentSpanId} is empty for a root
     * span. {@code service} is the resource's {@code service.name}; {@code kind} the OTLP name, e.g.
     * {@code SPAN_KIND_PRODUCER}; {@code attributes} the span's attributes as text.
     */
    public record Span(String traceId, String spanId, String parentSpanId, String name, String kind, String service,
                       Map<String, String> attributes) {
        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts a receiver on 127.0.0.1 and a free port. */
    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP receiver", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("POST") || !path.equals("/v1/traces")) {
                rejected.add(exchange.getRequestMethod() + " " + path);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            try {
                collect(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
            } catch (InvalidProtocolBufferException e) {
                rejected.add("POST " + path + ": " + e.getMessage());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, reply.length == 0 ? -1 : reply.length);
            if (reply.length > 0) {
                exchange.getResponseBody().write(reply);
            }
        }
    }

    private void collect(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = text(resource.getResource().getAttributesList()).getOrDefault("service.name", "");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                    spans.add(new Span(hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()),
                            span.getName(), span.getKind().name(), service, text(span.getAttributesList())));
                }
            }
        }
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            AnyValue value = attribute.getValue();
            values.put(attribute.getKey(), switch (value.getValueCase()) {
                case STRING_VALUE -> value.getStringValue();
                case INT_VALUE -> Long.toString(value.getIntValue());
                case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
                default -> value.toString().strip();
            });
        }
        return values;
    }

    private static String hex(ByteString id) {
        return HEX.formatHex(id.toByteArray());
    }

    /** {@code http://127.0.0.1:<port>}: the OTLP/HTTP endpoint (the exporters add {@code /v1/traces}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The settings that make a Quarkus service (with {@code quarkus-opentelemetry}) export its spans here over
     * OTLP/HTTP protobuf, in batches of at most 200 ms, so a test sees them soon after the work.
     */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.otel.exporter.otlp.traces.endpoint", endpoint().toString(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "200ms");
    }

    /** Every span received so far, in arrival order. */
    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The spans of trace {@code traceId} received so far. */
    public List<Span> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Requests that were not OTLP trace exports (method and path, or why the body could not be read). */
    public List<String> rejected() {
        return List.copyOf(rejected);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
