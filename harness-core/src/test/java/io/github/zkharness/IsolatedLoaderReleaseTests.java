package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.testkit.Clients;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The isolated runtime gives back what it loads: after close() no thread of a node's loader runs, and the loaders
 * of 50 build/start/close cycles are collected, so metaspace stays flat.
 */
class IsolatedLoaderReleaseTests {

    private static final int CYCLES = 50;

    @Test
    void fiftyBuildCloseCyclesLeaveNoLoaderNoThreadAndFlatMetaspace() throws Exception {
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        long metaspaceAfterWarmUp = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            try (ZkEnsemble zk =
                    ZkEnsemble.builder().voters(3).runtime(ZkRuntime.ISOLATED).start()) {
                for (ZkNode node : zk.nodes()) {
                    loaders.add(new WeakReference<>(IsolatedRuntimeTests.loaderOf(node)));
                }
                if (cycle % 10 == 0) {
                    zk.leader().kill().restart(); // a restart's loader is released too
                    zk.awaitServing();
                    try (ZooKeeper client = Clients.connect(zk.connectString())) {
                        Clients.create(client, "/cycle", "x");
                    }
                }
            }
            assertThat(threadsOfPeerLoaders())
                    .as("threads of a node's loader after close()")
                    .isEmpty();
            if (cycle == 9) {
                metaspaceAfterWarmUp = metaspaceAfterGc();
            }
        }
        await("every node loader collected")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    System.gc();
                    return loaders.stream().allMatch(ref -> ref.get() == null);
                });
        long metaspaceAtEnd = metaspaceAfterGc();
        // one isolated node's classes take about 2-3 MB: 40 more cycles of 3 leaked nodes would add over 200 MB
        assertThat(metaspaceAtEnd - metaspaceAfterWarmUp)
                .as("metaspace growth over 40 cycles (bytes)")
                .isLessThan(24L * 1024 * 1024);
    }

    private static List<String> threadsOfPeerLoaders() {
        List<String> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ClassLoader loader = t.getContextClassLoader();
            if (t.isAlive()
                    && loader != null
                    && loader.getClass().getSimpleName().equals("PeerClassLoader")) {
                found.add(t.getName());
            }
        }
        return found;
    }

    private static long metaspaceAfterGc() {
        System.gc();
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                used = pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
