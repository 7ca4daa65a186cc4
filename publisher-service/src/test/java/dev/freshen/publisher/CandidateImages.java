package dev.freshen.publisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.BaseImage;
import dev.freshen.events.CheckResult;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import dev.freshen.registry.RegistryClient;
import dev.freshen.testing.SampleEvents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Candidates as the builder leaves them, pushed with the registry API (no Docker needed): a one-layer OCI image whose
 * config carries the builder's labels, among them the run id, so each candidate has its own digest.
 */
public final class CandidateImages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CandidateImages() {
    }

    /** Pushes a candidate of run {@code runId} as {@code registry/repository:tag}; returns it pinned by digest. */
    public static ImageReference push(RegistryClient client, String registry, String repository, String tag, String runId) {
        try {
            byte[] tar = tar("etc/freshen-run", runId + "\n");
            byte[] layer = gzip(tar);
            Digest layerDigest = client.pushBlob(registry, repository, layer);
            byte[] config = JSON.writeValueAsBytes(Map.of(
                    "architecture", "amd64", "os", "linux", "created", Instant.now().toString(),
                    "config", Map.of("User", "1654", "Labels", Map.of(ImageLabels.RUN_ID, runId,
                            ImageLabels.BASE_NAME, SampleEvents.BASE.reference().toString(),
                            ImageLabels.BASE_DIGEST, SampleEvents.BASE.digest().toString())),
                    "rootfs", Map.of("type", "layers", "diff_ids", List.of(Digest.sha256Of(tar).toString()))));
            Digest configDigest = client.pushBlob(registry, repository, config);
            byte[] manifest = JSON.writeValueAsBytes(Map.of(
                    "schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                    "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json",
                            "digest", configDigest.toString(), "size", config.length),
                    "layers", List.of(Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip",
                            "digest", layerDigest.toString(), "size", layer.length))));
            Digest digest = client.putManifest(registry, repository, tag, Manifest.of(MediaTypes.OCI_MANIFEST, manifest));
            return new ImageReference(registry, repository, null, digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tester's verdict on a candidate, as it arrives at the publisher. */
    public static ImageVerified verified(String runId, String imageId, ImageReference candidate) {
        Instant now = Instant.now();
        return new ImageVerified(runId, imageId, 1, now, Trigger.baseImageUpdated(),
                List.of(new BaseImage(SampleEvents.BASE.reference(), SampleEvents.BASE.digest(), null)), candidate,
                List.of(new CheckResult("user: non-root", true, "uid 1654")),
                List.of(new StageTiming(Stage.BUILD, now.minusSeconds(60), now.minusSeconds(40)),
                        new StageTiming(Stage.TEST, now.minusSeconds(40), now)));
    }

    /** A tar archive holding one regular file. */
    private static byte[] tar(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", data.length));
        put(header, 136, String.format("%011o", 0));
        put(header, 148, "        ");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[155] = ' ';
        int padded = (data.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(data, 0, tar, 512, data.length);
        return tar;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }
}
