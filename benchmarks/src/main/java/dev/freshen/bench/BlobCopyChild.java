package dev.freshen.bench;

import dev.freshen.events.image.Digest;
import dev.freshen.registry.BlobCopyResult;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The copy of {@link BlobCopyBench}, in its own JVM (started with a small heap): copies one blob with
 * {@link RegistryClient#copyBlob} and prints one line of {@code key=value} figures on stdout: heap used sampled every
 * 10 ms (garbage included), the heap pools' peaks as the JVM recorded them, and the largest heap left after a
 * collection (what the copy really kept, as far as that collection reclaimed).
 *
 * <p>Arguments: source registry, source repository, target registry, target repository, digest, size in bytes.
 */
public final class BlobCopyChild {

    private BlobCopyChild() {
    }

    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        AtomicLong liveAfterGc = new AtomicLong();
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                            .getGcInfo();
                    long after = info.getMemoryUsageAfterGc().entrySet().stream()
                            .filter(pool -> heapPools.contains(pool.getKey()))
                            .mapToLong(pool -> pool.getValue().getUsed()).sum();
                    liveAfterGc.accumulateAndGet(after, Math::max);
                }
            }, null, null);
        }

        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        long size = Long.parseLong(args[5]);
        long started = System.nanoTime();
        BlobCopyResult result = client.copyBlob(args[0], args[1], args[2], args[3], Digest.parse(args[4]), size);
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        sampler.join();
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        long poolPeaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(java.util.Locale.ROOT, "bytes=%d seconds=%.3f peakHeapSampled=%d heapPoolPeaks=%d maxHeap=%d"
                        + " liveAfterGc=%d chunked=%b chunks=%d resumed=%d%n", result.bytes(), seconds, peak.get(), poolPeaks,
                memory.getHeapMemoryUsage().getMax(), liveAfterGc.get(), result.chunked(), result.chunks(), result.resumedChunks());
    }
}
