package dev.freshen.registry;

import dev.freshen.retry.StopRequested;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Single HTTP exchanges: at most {@code maxConcurrentRequestsPerRegistry} in flight per host, each with the request
 * timeout, redirects not followed (the caller decides whether credentials go along), all counted in the stats. An
 * interrupt (the service is stopping) is a {@link StopRequested}, never a registry failure.
 */
final class HttpTransport {

    private static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder received = new LongAdder();
        final LongAdder sent = new LongAdder();
    }

    private final HttpClient http;
    private final Duration timeout;
    private final int permitsPerHost;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();

    HttpTransport(RegistrySettings settings) {
        this.timeout = settings.requestTimeout();
        this.permitsPerHost = settings.maxConcurrentRequestsPerRegistry();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    HttpResponse<byte[]> send(String method, URI uri, Map<String, String> headers, byte[] body) throws IOException {
        return send(method, uri, headers, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body), body == null ? 0 : body.length, timeout, null);
    }

    /**
     * One exchange with a body of {@code bodyLength} bytes from {@code body} (re-subscribed if the request is sent
     * again) and its own {@code requestTimeout} (until the response headers arrive).
     *
     * @param stream when not null, receives the body of a 2xx response as a stream (counted as it is read; the
     *               caller closes it; reading it no longer counts against the requests in flight) and the returned
     *               response has an empty body; other responses are read whole
     */
    HttpResponse<byte[]> send(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body,
                              long bodyLength, Duration requestTimeout, Consumer<InputStream> stream) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .method(method, body);
        if ("http".equals(uri.getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade attempts against plain-http registries
        }
        headers.forEach(builder::header);
        String host = uri.getRawAuthority();
        Semaphore semaphore = permits.computeIfAbsent(host, h -> new Semaphore(permitsPerHost, true));
        Counters count = counters.computeIfAbsent(host, h -> new Counters());
        long started = System.nanoTime();
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested("interrupted while waiting to send " + method + " " + RegistryRequest.redact(uri), e);
        }
        try {
            count.requests.increment();
            count.sent.add(bodyLength);
            HttpResponse.BodyHandler<byte[]> handler = stream == null ? HttpResponse.BodyHandlers.ofByteArray()
                    : info -> info.statusCode() / 100 != 2 ? HttpResponse.BodySubscribers.ofByteArray()
                    : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(), in -> {
                        stream.accept(new CountingInputStream(in, count.received));
                        return new byte[0];
                    });
            HttpResponse<byte[]> response = http.send(builder.build(), handler);
            if (response.body() != null) {
                count.received.add(response.body().length);
            }
            RegistryLog.debug(() -> method + " " + RegistryRequest.redact(uri) + " -> " + response.statusCode() + " ("
                    + (System.nanoTime() - started) / 1_000_000 + " ms)");
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested("interrupted during " + method + " " + RegistryRequest.redact(uri), e);
        } finally {
            semaphore.release();
        }
    }

    /** The time allowed for one request ({@link RegistrySettings#requestTimeout()}). */
    Duration timeout() {
        return timeout;
    }

    RegistryStats stats() {
        Map<String, RegistryStats> perHost = new TreeMap<>();
        long requests = 0;
        long received = 0;
        long sent = 0;
        for (Map.Entry<String, Counters> entry : counters.entrySet()) {
            Counters c = entry.getValue();
            RegistryStats host = new RegistryStats(c.requests.sum(), c.received.sum(), c.sent.sum());
            perHost.put(entry.getKey(), host);
            requests += host.requests();
            received += host.bytesReceived();
            sent += host.bytesSent();
        }
        return new RegistryStats(requests, received, sent, perHost);
    }

    /** A response body stream that adds what is read to the host's counter. */
    private static final class CountingInputStream extends FilterInputStream {
        private final LongAdder received;

        CountingInputStream(InputStream in, LongAdder received) {
            super(in);
            this.received = received;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                received.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                received.add(n);
            }
            return n;
        }
    }
}
