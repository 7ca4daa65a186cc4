package dev.freshen.bench;

import dev.freshen.testing.ServiceProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * 6. Footprint, collected while the other benchmarks run: each service instance's start-up time (process start to
 * {@code /q/health/ready} answering 200), its resident memory when idle, and its peak resident memory while a burst
 * runs. Memory is {@code VmRSS} from {@code /proc/<pid>/status}, sampled every {@value #SAMPLE_MS} ms by a daemon thread.
 */
final class Footprint implements AutoCloseable {

    static final long SAMPLE_MS = 200;
    private static final String SECTION = "6 footprint";

    private final Map<String, ServiceProcess> processes = new ConcurrentHashMap<>();
    private final Map<String, Double> startupMillis = new LinkedHashMap<>();
    private final Map<String, Long> idleKib = new ConcurrentHashMap<>();
    private final Map<String, Long> peakKib = new ConcurrentHashMap<>();
    private volatile boolean recording;
    private volatile boolean closed;

    Footprint() {
        Thread sampler = new Thread(this::sample, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    synchronized void started(String label, ServiceProcess process, double millis) {
        processes.put(label, process);
        startupMillis.put(label, millis);
    }

    /** Reads every instance's resident memory now as its idle figure (first call per instance counts). */
    void recordIdle() {
        processes.forEach((label, p) -> rssKib(p.pid()).ifPresent(kib -> idleKib.putIfAbsent(label, kib)));
    }

    /** While on, the sampler keeps the highest resident memory seen per instance. */
    void recordPeaks(boolean on) {
        recording = on;
    }

    /** Adds the footprint rows: per service, start-up time, idle and peak resident memory. */
    synchronized void report(Results results) {
        for (Map.Entry<String, Double> entry : startupMillis.entrySet()) {
            String label = entry.getKey();
            results.add(SECTION, label + ": start-up to ready", Measure.once(entry.getValue()), null, "ms", "", "");
            if (idleKib.containsKey(label)) {
                results.add(SECTION, label + ": resident memory, idle", Measure.once(idleKib.get(label) / 1024.0),
                        null, "MiB", "", "");
            }
            if (peakKib.containsKey(label)) {
                results.add(SECTION, label + ": resident memory, peak during bursts",
                        Measure.once(peakKib.get(label) / 1024.0), null, "MiB", "", "");
            }
        }
        results.footnote("Footprint: each service as the tests run it (java -Xmx256m -XX:TieredStopAtLevel=1, "
                + "ServiceProcess), started one after the other; start-up = process start to /q/health/ready 200 "
                + "(polled every 250 ms; the watcher's and notifier's readiness include reading their topics). "
                + "Resident memory = VmRSS, idle = right after all services started, peak = highest sample (every "
                + SAMPLE_MS + " ms) during the bursts; the -2 instances exist only for the 2-instance bursts.");
    }

    private void sample() {
        while (!closed) {
            if (recording) {
                processes.forEach((label, p) -> rssKib(p.pid()).ifPresent(kib -> peakKib.merge(label, kib, Math::max)));
            }
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static java.util.Optional<Long> rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return java.util.Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has ended
        }
        return java.util.Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
    }
}
