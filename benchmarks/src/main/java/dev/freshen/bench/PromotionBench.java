package dev.freshen.bench;

import dev.freshen.events.ImagePublished;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.LocalRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * 4. Promotion cost: what the publisher uploads to the target registry to promote a verified candidate (from the
 * publish windows of the pipeline runs: the candidate is already in the target repository, so this should be manifests
 * only), against the seed's way: {@code docker push} of the same image under each of its tags, into a registry that does
 * not have its layers yet (as after every rebuild: new base, new layers), through a counting proxy of its own.
 */
final class PromotionBench {

    private static final String SECTION = "4 promotion";

    private PromotionBench() {
    }

    static void run(Stack stack, Results results, List<PipelineBench.Run> runs) {
        PipelineBench.Run last = runs.get(runs.size() - 1);
        Seed seed = seedPush(stack, last.published());

        Measure freshenUp = PipelineBench.m(runs, r -> r.publishTraffic().up());
        Measure freshenLayers = PipelineBench.m(runs, r -> r.publishLayerBytes());
        results.add(SECTION, "bytes uploaded to promote (version + " + (last.published().tags().size() - 1) + " tags)",
                freshenUp, Measure.once(seed.up), "bytes", "",
                "manifest PUTs " + (long) PipelineBench.m(runs, r -> r.publishManifestPuts()).median()
                        + " vs " + seed.manifestPuts + " (seed: " + seed.pushes + " docker pushes)");
        results.add(SECTION, "  of which layer bytes", freshenLayers, Measure.once(seed.layerUp), "bytes",
                "goal 0: " + (freshenLayers.max() == 0 ? "met" : "missed"), "blob upload requests");
        results.add(SECTION, "HTTP requests to promote", PipelineBench.m(runs, r -> r.publishTraffic().requests()),
                Measure.once(seed.requests), "requests", "", "publisher: tag list, HEADs, manifest GET/PUTs");
        results.add(SECTION, "for reference: the builder's candidate push", PipelineBench.m(runs,
                r -> r.candidateLayerBytes()), null, "bytes", "", "layer bytes; base layers mounted (same registry here)");
        results.footnote("Promotion: Freshen = the publisher's traffic in the publish stage of each pipeline run (candidate "
                + "already in the target repository, tagged candidate-<runId>; the builder pushed its layers, base layers "
                + "mounted from the vendor repository of the same local registry; against MCR and ECR they would be uploaded "
                + "with the candidate, once per run, as the seed uploads them with its first push). Seed = docker push of the last "
                + "published image under each of its tags (" + String.join(", ", last.published().tags())
                + ") into an empty registry, once (byte counts do not vary). The fixture image is about 1 MiB: the "
                + "seed's figure grows with image size (a .NET runtime image is ~90 MiB), the publisher's does not.");
    }

    /** What {@code docker push} under each tag uploaded. */
    private record Seed(long up, long layerUp, long requests, long manifestPuts, int pushes) {
    }

    private static Seed seedPush(Stack stack, ImagePublished published) {
        String source = published.image().byDigestOnly().toString();
        List<String> pushed = new ArrayList<>();
        try (LocalRegistry target = LocalRegistry.start(); CountingProxy proxy = CountingProxy.start(target.host())) {
            DockerEngine.docker("pull", "-q", source);
            for (String tag : published.tags()) {
                String name = proxy.host() + "/" + published.repository() + ":" + tag;
                DockerEngine.docker("tag", source, name);
                pushed.add(name);
            }
            proxy.reset();
            for (String name : pushed) {
                DockerEngine.docker("push", "-q", name);
            }
            CountingProxy.Totals all = proxy.totals(e -> true);
            long layers = proxy.totals(CountingProxy.Exchange::isBlobUpload).up();
            long manifests = proxy.totals(CountingProxy.Exchange::isManifestPut).requests();
            return new Seed(all.up(), layers, all.requests(), manifests, pushed.size());
        } finally {
            for (String name : pushed) {
                removeQuietly(name);
            }
            removeQuietly(source);
        }
    }

    private static void removeQuietly(String image) {
        try {
            DockerEngine.docker("rmi", image);
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
