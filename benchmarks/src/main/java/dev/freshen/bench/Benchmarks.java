package dev.freshen.bench;

import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Freshen costs per check and per run, on the local stack (real Kafka, Docker engine, registry), beside the seed's
 * way where there is one, measured in the same run so that ratios hold under whatever load the machine has:
 *
 * <ol>
 *     <li>{@link DetectionBench}: registry requests, bytes and wall time of one check cycle (1, 50, 500 images);
 *     {@link MultiPlatformBench}: requests per check of a multi-platform base, and the runs a roll-out starts;</li>
 *     <li>{@link PipelineBench}: a run from {@code BaseImageUpdated} to {@code ImagePublished}, docker work vs the rest;</li>
 *     <li>the test stage's readiness vs the seed's fixed 20 s sleep (also {@link PipelineBench});</li>
 *     <li>{@link PromotionBench}: bytes uploaded to promote vs {@code docker push} under each tag;</li>
 *     <li>{@link BurstBench}: 20 and 50 images at once with 1 and 2 builder and tester instances;</li>
 *     <li>{@link Footprint}: start-up time and resident memory of each service;</li>
 *     <li>{@link ChainBench} (only with {@code --only chain}, on a stack of its own): an upstream bump through a
 *     three-level chain, children started on their parent's publish vs polling-only chaining;</li>
 *     <li>{@link PlatformRunBench} (only with {@code --only platform-runs}, on a stack of its own): a two-platform
 *     run (arm64 emulated) beside a one-platform run of the same image, per stage.</li>
 * </ol>
 *
 * <p>Usage: {@code benchmarks/run.sh [--quick] [--only detection,multi-platform,pipeline,burst,chain,platform-runs] [--out DIR]}. Prints the table on
 * stdout (progress on stderr) and writes {@code latest.csv}, {@code latest.json}, {@code latest.txt} and timestamped
 * copies to {@code benchmarks/results/}. Exits 1 when a section failed (its row says why).
 */
public final class Benchmarks {

    private record Plan(String mode, List<Integer> detectionSizes, int detectionRepetitions, int pipelineRuns,
                        List<BurstBench.Burst> bursts, int chainRepetitions, int platformRunRepetitions) {

        static Plan full() {
            return new Plan("full", List.of(1, 50, 500), 5, 5, List.of(new BurstBench.Burst(20, 1),
                    new BurstBench.Burst(50, 1), new BurstBench.Burst(20, 2), new BurstBench.Burst(50, 2)), 3, 3);
        }

        static Plan quick() {
            return new Plan("quick", List.of(1, 50), 3, 3, List.of(new BurstBench.Burst(20, 1),
                    new BurstBench.Burst(20, 2)), 1, 1);
        }
    }

    private Benchmarks() {
    }

    public static void main(String[] args) {
        // stdout is for the table alone: whatever else prints there (the embedded Kafka broker does) goes to stderr
        java.io.PrintStream tableOut = System.out;
        System.setOut(System.err);
        Plan plan = Plan.full();
        Set<String> only = Set.of("detection", "multi-platform", "pipeline", "burst");
        Path out = Commands.repositoryRoot().resolve("benchmarks/results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> plan = Plan.quick();
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: benchmarks/run.sh [--quick] [--only detection,multi-platform,pipeline,burst,chain,platform-runs] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        Results results = new Results(plan.mode());
        describeMachine(results, "start");
        boolean ok = true;
        if (only.contains("detection")) {
            Plan p = plan;
            ok &= section(results, "1 detection", () -> DetectionBench.run(results, p.detectionSizes(), p.detectionRepetitions()));
        }
        if (only.contains("multi-platform")) {
            ok &= section(results, "1b multi-platform", () -> MultiPlatformBench.run(results));
        }
        if (only.contains("pipeline") || only.contains("burst")) {
            ok &= stackSections(results, plan, only);
        }
        if (only.contains("platform-runs")) {
            Plan p = plan;
            ok &= section(results, "8 platform runs", () -> {
                try (Stack stack = Stack.create()) {
                    PlatformRunBench.writeImages(stack.platformImages, stack.registryName());
                    stack.startServices();
                    PlatformRunBench.run(stack, results, p.platformRunRepetitions());
                }
            });
        }
        if (only.contains("chain")) {
            Plan p = plan;
            ok &= section(results, "7 chain", () -> {
                try (Stack stack = Stack.create()) {
                    ChainBench.writeImages(stack.platformImages, stack.registryName());
                    stack.startServices();
                    ChainBench.run(stack, results, p.chainRepetitions());
                }
            });
        }
        describeMachine(results, "end");
        results.footnote(machineNote(results));
        String table = Table.render(results);
        results.write(out, table);
        tableOut.println(table);
        tableOut.flush();
        Progress.say("results written to %s (latest.csv, latest.json, latest.txt)", out);
        System.exit(ok ? 0 : 1);
    }

    /** Pipeline, promotion, bursts and footprint share one stack of five services. */
    private static boolean stackSections(Results results, Plan plan, Set<String> only) {
        boolean ok = true;
        List<BurstBench.Burst> bursts = only.contains("burst") ? plan.bursts() : List.of();
        try (Stack stack = Stack.create()) {
            PipelineBench.writeImages(stack.platformImages, stack.registryName());
            BurstBench.writeImages(stack.platformImages, stack.registryName(), bursts);
            stack.startServices();
            stack.footprint.recordIdle();
            if (only.contains("pipeline")) {
                List<PipelineBench.Run> runs = new ArrayList<>();
                ok &= section(results, "2 orchestration", () -> runs.addAll(PipelineBench.run(stack, results, plan.pipelineRuns())));
                if (!runs.isEmpty()) {
                    ok &= section(results, "4 promotion", () -> PromotionBench.run(stack, results, runs));
                }
            }
            if (!bursts.isEmpty()) {
                ok &= section(results, "5 burst", () -> BurstBench.run(stack, results, bursts));
            }
            stack.footprint.report(results);
        } catch (RuntimeException | AssertionError e) {
            ok &= section(results, "stack", () -> {
                throw e;
            });
        }
        return ok;
    }

    /** Runs one section; a failure becomes a row saying so, and the other sections still run. */
    private static boolean section(Results results, String name, Runnable body) {
        Progress.say("%s ...", name);
        try {
            body.run();
            return true;
        } catch (RuntimeException | AssertionError e) {
            e.printStackTrace();
            results.add(name, "FAILED", null, null, "", "", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return false;
        }
    }

    private static void describeMachine(Results results, String when) {
        results.machine("loadAverage1m_" + when, read("/proc/loadavg").split(" ")[0]);
        if (when.equals("start")) {
            results.machine("cores", Runtime.getRuntime().availableProcessors());
            results.machine("cpu", read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown"));
            results.machine("memTotal", read("/proc/meminfo").lines().findFirst().orElse("").replaceAll("\\s+", " "));
            results.machine("java", System.getProperty("java.version"));
            results.machine("docker", quietly(() -> DockerEngine.docker("version", "--format", "{{.Server.Version}}")));
            results.machine("git", quietly(() -> Commands.run(List.of("git", "rev-parse", "--short", "HEAD"), 30)
                    + (Commands.run(List.of("git", "status", "--porcelain"), 30).isBlank() ? "" : "+uncommitted changes")));
        }
    }

    private static String machineNote(Results results) {
        var m = results.machine();
        return "Machine: " + m.get("cores") + " cores (" + m.get("cpu") + "), " + m.get("memTotal") + ", Java "
                + m.get("java") + ", Docker " + m.get("docker") + "; load average " + m.get("loadAverage1m_start")
                + " at the start, " + m.get("loadAverage1m_end") + " at the end; " + results.mode() + " mode, started "
                + results.started() + ", git " + m.get("git") + ". Medians; the n column says of how many repetitions.";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    private static String quietly(java.util.function.Supplier<String> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
