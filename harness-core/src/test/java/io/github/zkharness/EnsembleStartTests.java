package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

class EnsembleStartTests {

    @Test
    void startReturnsWhenEveryNodeAcceptsAWrite() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            // no waiting of our own: start() promised that each node serves, so a write through each succeeds now
            for (ZkNode node : zk.nodes()) {
                try (ZooKeeper client = Clients.connect(node.connectString())) {
                    Clients.create(client, "/written-through-" + node.id(), "x");
                }
            }
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                assertEquals(
                        3,
                        client.getChildren("/", false).stream()
                                .filter(c -> c.startsWith("written"))
                                .count());
            }
        }
    }

    @Test
    void oneLeaderAndTheRestFollow() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode leader = zk.leader();
            assertEquals(Role.LEADER, leader.role());
            assertEquals(2, zk.followers().size());
            assertTrue(zk.followers().stream().noneMatch(f -> f.id() == leader.id()));
            for (ZkNode node : zk.nodes()) {
                assertEquals(NodeState.RUNNING, node.state());
                assertTrue(node.isServing(), node.toString());
                assertTrue(node.status().epoch() >= 1, "epoch of " + node);
            }
        }
    }

    @Test
    void connectStringsAndAddressesAreLoopback() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            String[] parts = zk.connectString().split(",");
            assertEquals(3, parts.length);
            for (ZkNode node : zk.nodes()) {
                assertTrue(
                        node.status().clientAddress().getAddress().isLoopbackAddress(),
                        node.status().clientAddress().toString());
                assertEquals(parts[node.id() - 1], node.connectString());
                assertTrue(node.status().quorumPort() > 0 && node.status().electionPort() > 0);
            }
        }
    }

    @Test
    void everyNodeHasItsOwnDataDirWithMyid() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            for (ZkNode node : zk.nodes()) {
                assertEquals(
                        node.id() + "\n",
                        Files.readString(node.status().dataDir().resolve("myid")));
                assertTrue(node.status().dataDir().startsWith(zk.baseDirectory()));
            }
            assertEquals(
                    3,
                    zk.nodes().stream()
                            .map(n -> n.status().dataDir())
                            .distinct()
                            .count());
        }
    }

    @Test
    void separateDataLogDirHoldsTheTransactionLogs() throws Exception {
        try (ZkEnsemble zk =
                        ZkEnsemble.builder().voters(3).separateDataLogDir(true).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            Clients.create(client, "/logged", "x");
            for (ZkNode node : zk.nodes()) {
                assertTrue(!node.status().dataLogDir().equals(node.status().dataDir()));
                // the write returned once a quorum logged it: the third server may append it a moment later
                await("a transaction log in " + node.status().dataLogDir())
                        .atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> {
                            try (Stream<java.nio.file.Path> logs =
                                    Files.list(node.status().dataLogDir().resolve("version-2"))) {
                                assertTrue(
                                        logs.anyMatch(
                                                p -> p.getFileName().toString().startsWith("log.")),
                                        "no transaction log in " + node.status().dataLogDir());
                            }
                        });
                try (Stream<java.nio.file.Path> snaps =
                        Files.list(node.status().dataDir().resolve("version-2"))) {
                    List<String> names =
                            snaps.map(p -> p.getFileName().toString()).toList();
                    assertTrue(names.stream().noneMatch(n -> n.startsWith("log.")), "log in dataDir: " + names);
                    assertTrue(
                            names.stream().anyMatch(n -> n.startsWith("snapshot.")),
                            "no snapshot in dataDir: " + names);
                }
            }
        }
    }

    @Test
    void observersServeButDoNotVote() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start()) {
            ZkNode observer = zk.node(4);
            assertTrue(!observer.isVoter());
            assertEquals(Role.OBSERVER, observer.role());
            assertEquals(List.of(observer), zk.observers());
            assertEquals(3, zk.voters().size());
            assertTrue(observer.fourLetterWord("srvr").contains("Mode: observer"));
            try (ZooKeeper client = Clients.connect(observer.connectString())) {
                Clients.create(client, "/via-observer", "forwarded");
                assertEquals("forwarded", Clients.read(client, "/via-observer"));
            }
        }
    }

    @Test
    void fiveNodesAndASingleNode() throws Exception {
        try (ZkEnsemble five = ZkEnsemble.builder().voters(5).start();
                ZooKeeper client = Clients.connect(five.connectString())) {
            Clients.create(client, "/five", "5");
            assertEquals(4, five.followers().size());
        }
        try (ZkEnsemble one = ZkEnsemble.builder().voters(1).start();
                ZooKeeper client = Clients.connect(one.connectString())) {
            Clients.create(client, "/one", "1");
            assertEquals(Role.LEADER, one.node(1).role());
        }
    }
}
