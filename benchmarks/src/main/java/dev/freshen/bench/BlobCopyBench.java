package dev.freshen.bench;

import dev.freshen.events.image.Digest;
import dev.freshen.registry.BlobCopyResult;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.RegistryProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A streamed blob copy between two registries with a capped heap: generates a layer (2 GiB by default, never in
 * memory), pushes it into a source {@code docker-registry} with the streamed upload, then copies it to a second
 * registry with {@link RegistryClient#copyBlob} in a child JVM started with {@code -Xmx256m}, and reads the copy back
 * to check its digest. Prints bytes, seconds, MiB/s, the child's peak heap and whether the digest matched; exits 1
 * when the copy failed or the digest did not match. Both registries live in temporary directories, deleted at the end.
 *
 * <p>Usage: {@code benchmarks/blob-copy.sh [--size-mib N] [--heap 256m]}.
 */
public final class BlobCopyBench {

    private static final long MIB = 1024 * 1024;
    private static final String REPOSITORY = "bench/layer";

    private BlobCopyBench() {
    }

    public static void main(String[] args) throws Exception {
        long sizeMib = 2048;
        String heap = "256m";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-mib" -> sizeMib = Long.parseLong(args[++i]);
                case "--heap" -> heap = args[++i];
                default -> {
                    System.err.println("usage: benchmarks/blob-copy.sh [--size-mib N] [--heap 256m]");
                    System.exit(2);
                }
            }
        }
        GeneratedBlob layer = new GeneratedBlob(sizeMib * MIB, 42);
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        boolean ok;
        try (RegistryProcess source = RegistryProcess.start(RegistryProcess.newDirectory("freshen-bench-copy-source-"), "");
             RegistryProcess target = RegistryProcess.start(RegistryProcess.newDirectory("freshen-bench-copy-target-"), "")) {
            Progress.say("hashing a generated layer of %d MiB", sizeMib);
            Digest digest = layer.digest();
            Progress.say("pushing it into the source registry %s (streamed, 16 MiB chunks)", source.host());
            long pushStarted = System.nanoTime();
            BlobCopyResult pushed = client.pushBlob(source.host(), REPOSITORY, digest, layer.size(), layer, 16 * (int) MIB);
            double pushSeconds = (System.nanoTime() - pushStarted) / 1e9;

            Progress.say("copying it to %s in a child JVM with -Xmx%s", target.host(), heap);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), BlobCopyChild.class.getName(),
                    source.host(), REPOSITORY, target.host(), REPOSITORY, digest.toString(), Long.toString(layer.size()));
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, String> figures = new HashMap<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    for (String pair : line.trim().split(" ")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0) {
                            figures.put(pair.substring(0, eq), pair.substring(eq + 1));
                        }
                    }
                }
            }
            int exit = child.waitFor();

            Progress.say("reading the copy back from the target and hashing it");
            Digest served = sha256Of(target.baseUri().resolve("/v2/" + REPOSITORY + "/blobs/" + digest));
            boolean matched = exit == 0 && served.equals(digest);
            ok = matched;

            System.out.println("| measure | value |");
            System.out.println("| --- | --- |");
            row("layer", "%d MiB generated, %s", sizeMib, digest.shortHex());
            row("push into the source (streamed, parent JVM)", "%.1f s, %.0f MiB/s, %d chunks", pushSeconds,
                    sizeMib / pushSeconds, pushed.chunks());
            if (exit != 0) {
                row("copy (child JVM, -Xmx" + heap + ")", "FAILED: the child exited with %d (its stderr is above)", exit);
            } else {
                double seconds = Double.parseDouble(figures.get("seconds"));
                long bytes = Long.parseLong(figures.get("bytes"));
                row("copy: bytes", "%,d", bytes);
                row("copy: seconds", "%.1f s", seconds);
                row("copy: throughput", "%.0f MiB/s", bytes / (double) MIB / seconds);
                row("copy: child heap limit (-Xmx" + heap + ", MemoryMXBean max)", "%.0f MiB",
                        Long.parseLong(figures.get("maxHeap")) / (double) MIB);
                row("copy: peak heap used (sampled every 10 ms)", "%.1f MiB",
                        Long.parseLong(figures.get("peakHeapSampled")) / (double) MIB);
                row("copy: heap pools' peaks, summed", "%.1f MiB",
                        Long.parseLong(figures.get("heapPoolPeaks")) / (double) MIB);
                row("copy: largest heap left after a garbage collection (live data)", "%.1f MiB",
                        Long.parseLong(figures.get("liveAfterGc")) / (double) MIB);
                row("copy: chunks (resumed)", "%s (%s)", figures.get("chunks"), figures.get("resumed"));
            }
            row("digest of the bytes the target serves", matched ? "matches %s" : "DOES NOT MATCH (served %s)",
                    matched ? digest.shortHex() : served.shortHex());
        }
        Progress.say("registries stopped, their data deleted");
        System.exit(ok ? 0 : 1);
    }

    private static void row(String measure, String format, Object... args) {
        System.out.println("| " + measure + " | " + String.format(Locale.ROOT, format, args) + " |");
    }

    private static Digest sha256Of(URI blob) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(blob).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                return new Digest("sha256", "0".repeat(64));
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1024 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
            }
            return new Digest("sha256", HexFormat.of().formatHex(sha256.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
