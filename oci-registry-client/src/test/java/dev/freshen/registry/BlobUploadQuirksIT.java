package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streamed upload ({@link RegistryClient#pushBlob(String, String, Digest, long, BlobSource, int)}) against
 * scripted targets, for what the CNCF registry does not do: resuming in the middle of a chunk, refusing chunks,
 * losing the session (and a source that changed meanwhile).
 */
class BlobUploadQuirksIT {

    private static final String UPLOADS = "/v2/team/app/blobs/uploads/";

    private final byte[] blob = bytes(2500);
    private final Digest digest = Digest.sha256Of(blob);
    private final BlobSource source = offset -> new ByteArrayInputStream(blob, (int) offset, blob.length - (int) offset);
    private final RegistryClient client = new RegistryClient(RegistrySettings.defaults()
            .withRetries(3, Duration.ofMillis(10)));

    @Test
    void aChunkIsResumedFromTheMiddleWhereTheTargetSaysItStopped() {
        try (ScriptedServer target = ScriptedServer.start((n, r) -> switch (r.method() + " " + r.path().replaceAll("\\?.*", "")) {
            case "POST " + UPLOADS -> accepted("1", -1);
            case "PATCH " + UPLOADS + "1" -> accepted("2", 999);
            case "PATCH " + UPLOADS + "2" -> ScriptedServer.Reply.of(503);
            case "GET " + UPLOADS + "2" -> ScriptedServer.Reply.of(204).header("Location", UPLOADS + "3")
                    .header("Range", "0-1399");
            case "PATCH " + UPLOADS + "3" -> accepted("4", 1999);
            case "PATCH " + UPLOADS + "4" -> accepted("5", 2499);
            case "PUT " + UPLOADS + "5" -> ScriptedServer.Reply.of(201).header("Docker-Content-Digest", digest.toString());
            default -> ScriptedServer.Reply.of(404);
        })) {
            BlobCopyResult pushed = client.pushBlob(target.host(), "team/app", digest, blob.length, source, 1000);

            assertEquals(new BlobCopyResult(digest, blob.length, false, true, 3, 1, 0), pushed);
            List<ScriptedServer.Received> patches = target.received().stream()
                    .filter(r -> r.method().equals("PATCH")).toList();
            assertEquals(List.of("0-999", "1000-1999", "1400-1999", "2000-2499"),
                    patches.stream().map(ScriptedServer.Received::contentRange).toList());
            assertArrayEquals(Arrays.copyOfRange(blob, 1400, 2000), patches.get(2).body(), "only the missing bytes again");
            String put = target.received().get(target.received().size() - 1).path();
            assertTrue(put.startsWith(UPLOADS + "5?_state=secret&digest=" + digest), put);
        }
    }

    @Test
    void aTargetRefusingChunksGetsOneStreamedPutInANewSession() {
        try (ScriptedServer target = ScriptedServer.start((n, r) -> switch (r.method() + " " + r.path().replaceAll("\\?.*", "")) {
            case "POST " + UPLOADS -> accepted(n == 2 ? "1" : "2", -1);
            case "PATCH " + UPLOADS + "1" -> ScriptedServer.Reply.of(416);
            case "DELETE " + UPLOADS + "1" -> ScriptedServer.Reply.of(204);
            case "PUT " + UPLOADS + "2" -> ScriptedServer.Reply.of(201);
            default -> ScriptedServer.Reply.of(404);
        })) {
            BlobCopyResult pushed = client.pushBlob(target.host(), "team/app", digest, blob.length, source, 1000);

            assertEquals(new BlobCopyResult(digest, blob.length, false, false, 0, 0, 0), pushed);
            assertEquals(List.of("HEAD", "POST", "PATCH", "DELETE", "POST", "PUT"),
                    target.received().stream().map(ScriptedServer.Received::method).toList());
            assertArrayEquals(blob, target.received().get(5).body(), "the whole blob in the PUT");
        }
    }

    @Test
    void aLostSessionIsStartedAgainWithTheBytesBeforeTheChunkReadAgainFromTheSource() {
        try (ScriptedServer target = ScriptedServer.start(lostSessionScript())) {
            BlobCopyResult pushed = client.pushBlob(target.host(), "team/app", digest, blob.length, source, 1000);

            assertEquals(new BlobCopyResult(digest, blob.length, false, true, 3, 1, 1), pushed);
            List<ScriptedServer.Received> patches = target.received().stream()
                    .filter(r -> r.method().equals("PATCH")).toList();
            assertEquals(List.of("0-999", "1000-1999", "0-999", "1000-1999", "2000-2499"),
                    patches.stream().map(ScriptedServer.Received::contentRange).toList());
            assertArrayEquals(Arrays.copyOfRange(blob, 0, 1000), patches.get(2).body(), "the bytes before, again");
            assertTrue(target.received().get(target.received().size() - 1).path().startsWith(UPLOADS + "13?"));
        }
    }

    @Test
    void aSourceServingOtherBytesWhenReadAgainFailsTheCopy() {
        List<Long> opened = new CopyOnWriteArrayList<>();
        BlobSource changing = offset -> {
            opened.add(offset);
            byte[] content = blob.clone();
            if (opened.size() > 1) {
                content[10] ^= 1;
            }
            return new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
        };
        try (ScriptedServer target = ScriptedServer.start(lostSessionScript())) {
            RegistryException e = assertThrows(RegistryException.class,
                    () -> client.pushBlob(target.host(), "team/app", digest, blob.length, changing, 1000));

            assertEquals("DIGEST_INVALID", e.code());
            assertTrue(e.getMessage().contains("other bytes when read again"), e.getMessage());
            assertEquals(List.of(0L, 0L), opened);
            assertTrue(target.received().stream().noneMatch(r -> r.method().equals("PUT")), "never completed");
        }
    }

    /** The second chunk fails with 502 and the session is then unknown; a new one works. */
    private static ScriptedServer.Script lostSessionScript() {
        AtomicInteger posts = new AtomicInteger();
        return (n, r) -> switch (r.method() + " " + r.path().replaceAll("\\?.*", "")) {
            case "POST " + UPLOADS -> accepted(posts.incrementAndGet() == 1 ? "1" : "10", -1);
            case "PATCH " + UPLOADS + "1" -> accepted("2", 999);
            case "PATCH " + UPLOADS + "2" -> ScriptedServer.Reply.of(502);
            case "PATCH " + UPLOADS + "10" -> accepted("11", 999);
            case "PATCH " + UPLOADS + "11" -> accepted("12", 1999);
            case "PATCH " + UPLOADS + "12" -> accepted("13", 2499);
            case "PUT " + UPLOADS + "13" -> ScriptedServer.Reply.of(201);
            case "DELETE " + UPLOADS + "11" -> ScriptedServer.Reply.of(204);
            default -> ScriptedServer.Reply.of(404).body("{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\"}]}"
                    .getBytes(StandardCharsets.UTF_8));
        };
    }

    /** 202 with the next location and the range received so far (none for {@code last} -1). */
    private static ScriptedServer.Reply accepted(String next, long last) {
        ScriptedServer.Reply reply = ScriptedServer.Reply.of(202).header("Location", UPLOADS + next + "?_state=secret");
        return last < 0 ? reply : reply.header("Range", "0-" + last);
    }

    private static byte[] bytes(int length) {
        byte[] content = new byte[length];
        new Random(7).nextBytes(content);
        return content;
    }
}
