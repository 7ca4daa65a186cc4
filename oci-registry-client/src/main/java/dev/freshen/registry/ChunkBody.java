package dev.freshen.registry;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/** A chunk of a streamed upload as a request body, sent straight out of the copy's one buffer. */
final class ChunkBody {

    private static final int SLICE = 64 * 1024;

    private ChunkBody() {
    }

    /**
     * {@code buffer[offset, offset + length)} as a request body in 64 KiB slices, without copying it
     * ({@code BodyPublishers.ofByteArray} copies the whole range up front: a second chunk's worth of memory).
     */
    static HttpRequest.BodyPublisher of(byte[] buffer, int offset, int length) {
        int end = offset + length;
        Flow.Publisher<ByteBuffer> slices = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private int position = offset;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                if (done) {
                    return;
                }
                if (n <= 0) {
                    done = true;
                    subscriber.onError(new IllegalArgumentException("demand must be positive, got " + n));
                    return;
                }
                for (long left = n; left > 0 && position < end && !done; left--) {
                    int part = Math.min(SLICE, end - position);
                    ByteBuffer slice = ByteBuffer.wrap(buffer, position, part).slice();
                    position += part;
                    subscriber.onNext(slice);
                }
                if (position >= end && !done) {
                    done = true;
                    subscriber.onComplete();
                }
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
        return HttpRequest.BodyPublishers.fromPublisher(slices, length);
    }
}
