package dev.freshen.bench;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.RegistryProcess;
import dev.freshen.watcher.CheckOutcome;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.registry.OciImageRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * 1. Detection cost: what one check cycle (every watched image checked once, nothing changed upstream) exchanges with
 * the registry and how long it takes, for 1, 50 and 500 images, Freshen's way and the seed's way side by side.
 *
 * <p>Freshen's way is the watcher's own code, run in this JVM: {@link ImageChecker} with {@link OciImageRegistry} and a
 * {@link RegistryClient} with the watcher's default settings, through a {@link CountingProxy}. Per image that is what
 * the service does on its schedule: HEAD of each base's manifest, then the target's tag list, HEAD and GET of the
 * newest version's manifest and its config blob (labels). Nothing is cached between checks, as in the service. Checks
 * run one after the other for both ways; the two ways alternate repetition by repetition, so machine noise hits both.
 */
final class DetectionBench {

    private static final String SECTION = "1 detection";

    private DetectionBench() {
    }

    static void run(Results results, List<Integer> sizes, int repetitions) {
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path root;
        try {
            root = Files.createTempDirectory("freshen-bench-detect-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RegistryProcess registry = RegistryProcess.start(RegistryProcess.newDirectory("freshen-bench-registry-"), "");
             CountingProxy proxy = CountingProxy.start(registry.host())) {
            long setup = System.nanoTime();
            DetectionFixtures.create(registry, proxy.host(), root, largest);
            Progress.say("detection: %d platform images and %d upstream tags set up in %d s", largest,
                    DetectionFixtures.UPSTREAM_TAGS, (System.nanoTime() - setup) / 1_000_000_000);

            PlatformImageCatalog.Scan scan = PlatformImageCatalog.of(root).scan();
            if (!scan.errors().isEmpty() || scan.images().size() != largest) {
                throw new IllegalStateException("detection descriptors: " + scan.errors());
            }
            // the watcher's rescan of a changed folder: descriptor, Dockerfile and the definition (every context file hashed)
            List<Double> scans = new ArrayList<>();
            for (int rep = 0; rep < repetitions; rep++) {
                long begin = System.nanoTime();
                PlatformImageCatalog.of(root).scan();
                scans.add((System.nanoTime() - begin) / 1e6);
            }
            results.add(SECTION, largest + " images: full catalog scan (descriptors, Dockerfiles, definitions)",
                    Measure.of(scans), null, "ms", "", "what a rescan costs when every folder changed");
            RunLedger ledger = new RunLedger();
            ledger.markComplete();
            ImageChecker checker = new ImageChecker(() -> scan,
                    new OciImageRegistry(new RegistryClient(RegistrySettings.defaults()), proxy.host()), ledger,
                    event -> {
                        throw new IllegalStateException("nothing changed upstream, yet a run was started: " + event);
                    }, Clock.systemUTC(), dev.freshen.events.image.Platform.LINUX_AMD64);
            SeedDetection seed = new SeedDetection(proxy.host());

            IntConsumer freshenCheck = i -> {
                CheckOutcome outcome = checker.check(DetectionFixtures.imageId(i));
                if (outcome.result() != CheckOutcome.Result.UP_TO_DATE) {
                    throw new IllegalStateException("expected up to date: " + outcome);
                }
            };
            IntConsumer seedCheck = i -> seed.check(DetectionFixtures.UPSTREAM_REPOSITORY, DetectionFixtures.targetRepository(i));

            // warm-up (JIT, connections), not counted
            cycle(proxy, Math.min(largest, 50), freshenCheck);
            cycle(proxy, Math.min(largest, 50), seedCheck);

            for (int size : sizes) {
                List<Cycle> freshen = new ArrayList<>();
                List<Cycle> seeds = new ArrayList<>();
                // 500 images take a minute per seed cycle on a busy 2-core machine: fewer repetitions keep the run bounded
                int reps = size >= 500 ? Math.min(3, repetitions) : repetitions;
                for (int rep = 0; rep < reps; rep++) {
                    freshen.add(cycle(proxy, size, freshenCheck));
                    seeds.add(cycle(proxy, size, seedCheck));
                }
                String images = size == 1 ? "1 image" : size + " images";
                results.add(SECTION, images + ": HTTP requests per cycle", measure(freshen, Cycle::requests),
                        measure(seeds, Cycle::requests), "requests", "", "");
                results.add(SECTION, images + ": bytes per cycle (up + down)", measure(freshen, Cycle::bytes),
                        measure(seeds, Cycle::bytes), "bytes", "",
                        "up " + Table.format(measure(freshen, Cycle::up), "bytes") + " / seed "
                                + Table.format(measure(seeds, Cycle::up), "bytes"));
                results.add(SECTION, images + ": wall time of one cycle", measure(freshen, Cycle::millis),
                        measure(seeds, Cycle::millis), "ms", "", "checks one after the other");
                Progress.say("detection: %d image(s) done", size);
            }
        } finally {
            deleteQuietly(root);
        }
        results.footnote("Detection: every image's base is " + DetectionFixtures.UPSTREAM_REPOSITORY + ":"
                + DetectionFixtures.BASE_TAG + ", whose repository has " + DetectionFixtures.UPSTREAM_TAGS
                + " tags; each target repository is as after " + DetectionFixtures.PUBLISHED_RUNS + " runs ("
                + DetectionFixtures.targetTags().size() + " tags: versions, candidates, 10.0, latest). Freshen = the "
                + "watcher's ImageChecker in-process (HEAD base manifest; target tag list; HEAD + GET newest version "
                + "manifest; GET its config blob). Seed = GET the upstream tag list per image + describe-images on the "
                + "target, emulated as the target tag list + one manifest GET per tag (no ECR API here). Bytes are HTTP "
                + "on the wire (headers and bodies, both directions), counted by a proxy; open registry, so no token "
                + "requests on either side.");
    }

    private record Cycle(long requests, long up, long down, double millis) {
        long bytes() {
            return up + down;
        }
    }

    private static Cycle cycle(CountingProxy proxy, int size, IntConsumer check) {
        proxy.reset();
        long start = System.nanoTime();
        for (int i = 0; i < size; i++) {
            check.accept(i);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        CountingProxy.Totals totals = proxy.totals(e -> true);
        return new Cycle(totals.requests(), totals.up(), totals.down(), millis);
    }

    private static Measure measure(List<Cycle> cycles, java.util.function.ToDoubleFunction<Cycle> metric) {
        return Measure.of(cycles.stream().map(c -> metric.applyAsDouble(c)).toList());
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
