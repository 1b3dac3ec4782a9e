package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import io.github.zkharness.testkit.JvmResources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** After close() nothing of the ensemble remains: no thread, no listening socket, no file or directory. */
class LeakTests {

    /** This JVM's entries in java.io.tmpdir (other test JVMs on the machine make their own). */
    private static Set<String> tmpEntries() {
        String mine = "-" + ProcessHandle.current().pid() + "-";
        return JvmResources.tmpEntries().stream()
                .filter(n -> !n.startsWith("zk-harness") || n.contains(mine))
                .collect(Collectors.toSet());
    }

    private static long openFileDescriptors() {
        return JvmResources.fileDescriptors().size();
    }

    @Test
    void afterKillsRestartsAndWipesCloseLeavesNothing() throws Exception {
        Set<String> tmpBefore = tmpEntries();
        ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .observers(1)
                .separateDataLogDir(true)
                .start();
        List<InetSocketAddress> listening = new ArrayList<>();
        for (ZkNode n : zk.nodes()) {
            listening.add(n.status().clientAddress());
            listening.add(new InetSocketAddress("127.0.0.1", n.status().quorumPort()));
            listening.add(new InetSocketAddress("127.0.0.1", n.status().electionPort()));
        }
        Path base = zk.baseDirectory();
        try (ZooKeeper client = Clients.connect(zk.connectString())) {
            Clients.create(client, "/data", "x");
        }
        zk.leader().kill().restart();
        zk.awaitServing();
        zk.followers().get(0).wipe();
        zk.node(4).stop().restart();
        zk.awaitServing();
        zk.close();

        assertTrue(zk.liveThreads().isEmpty(), "threads left: " + zk.liveThreads());
        assertFalse(base.toFile().exists(), base + " still exists");
        assertTrue(
                tmpEntries().stream().noneMatch(n -> !tmpBefore.contains(n) && n.startsWith("zk-harness")),
                "new entries in java.io.tmpdir: "
                        + tmpEntries().stream()
                                .filter(n -> !tmpBefore.contains(n))
                                .toList());
        for (InetSocketAddress address : listening) {
            assertThrows(
                    IOException.class,
                    () -> {
                        try (Socket s = new Socket()) {
                            s.connect(address, 1000);
                        }
                    },
                    "something still listens on " + address);
        }
    }

    @Test
    void aTlsAndQuorumSaslEnsembleLeavesNoThreadNoMaterialAndNoNettyExecutor() throws Exception {
        Set<String> tmpBefore = tmpEntries();
        // quorum SASL too: ZooKeeper's connection pool then dials and accepts every election connection
        ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).tls(true).quorumSasl(true).start();
        Path base = zk.baseDirectory();
        try (ZooKeeper client = zk.newZooKeeper()) {
            Clients.create(client, "/data", "x");
        }
        zk.addObserver();
        zk.leader().kill().restart();
        zk.awaitServing();
        zk.close();

        // ZooKeeper's Netty factory never ends its channel group's executor: the harness does
        assertTrue(zk.liveThreads().isEmpty(), "threads left: " + zk.liveThreads());
        assertFalse(base.toFile().exists(), base + " still exists");
        assertTrue(
                tmpEntries().stream().noneMatch(n -> !tmpBefore.contains(n) && n.startsWith("zk-harness")),
                "new entries in java.io.tmpdir: "
                        + tmpEntries().stream()
                                .filter(n -> !tmpBefore.contains(n))
                                .toList());
    }

    @Test
    void repeatedCyclesReturnThreadsAndDescriptorsToTheBaseline() throws Exception {
        // warm up once: class loading, logging and ZooKeeper's static pools take their one-off share
        try (ZkEnsemble warm = ZkEnsemble.builder().voters(3).start()) {
            warm.leader().kill();
        }
        int threadsBefore = Thread.activeCount();
        long fdsBefore = openFileDescriptors();
        for (int i = 0; i < 5; i++) {
            try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
                zk.leader().kill().restart();
                zk.awaitServing();
            }
        }
        // ZooKeeper clients of other tests may still wind down: allow a small margin, not growth per cycle
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertTrue(
                    Thread.activeCount() <= threadsBefore + 2,
                    "threads: before " + threadsBefore + ", now " + Thread.activeCount());
            assertTrue(
                    openFileDescriptors() <= fdsBefore + 10,
                    "fds: before " + fdsBefore + ", now " + openFileDescriptors());
        });
    }
}
