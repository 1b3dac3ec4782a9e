package io.github.zkharness.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after full collections: what a running ensemble keeps, measured the same way on both sides. */
final class Heap {

    private Heap() {}

    /**
     * The baseline before an ensemble starts: first 4 s for what earlier runs left behind to let go (ZooKeeper's
     * election workers of a closed peer linger up to 3 s, holding it), then {@link #usedAfterGc()}.
     */
    static long baseline() throws InterruptedException {
        Thread.sleep(4_000);
        return usedAfterGc();
    }

    /** Bytes of heap in use after three {@code System.gc()} calls (each a full collection with G1 unless disabled). */
    static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
