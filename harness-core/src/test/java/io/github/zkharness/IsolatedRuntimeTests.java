package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;

/** The isolated runtime: each node's ZooKeeper in a class loader of its own, behind the same API. */
class IsolatedRuntimeTests {

    // not List.of: ZooKeeper asks the list whether it contains null
    private static final List<ACL> ALICE_ONLY =
            Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("sasl", "alice")));

    @Test
    void eachNodeRunsInALoaderOfItsOwnAndKeepsItsDataAcrossARestart() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).runtime(ZkRuntime.ISOLATED).start()) {
            ClassLoader first = loaderOf(zk.node(1));
            assertNotEquals(first, loaderOf(zk.node(2)));
            assertNotEquals(ZkEnsemble.class.getClassLoader(), first);
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                Clients.create(client, "/kept", "x");
            }
            ZkNode leader = zk.leader();
            ClassLoader before = loaderOf(leader);
            leader.kill().restart().awaitServing();
            assertNotEquals(before, loaderOf(leader), "a restart loads ZooKeeper afresh");
            zk.awaitServing();
            try (ZooKeeper client = Clients.connect(leader.connectString())) {
                assertEquals("x", new String(client.getData("/kept", false, null)));
            }
            assertEquals(ZkVersion.classPath().version(), leader.status().version());
            assertTrue(leader.status()
                    .toString()
                    .contains("ZooKeeper " + ZkVersion.classPath().version()));
        }
    }

    @Test
    void stopThenStartGivesEveryNodeAFreshLoaderOfItsOwnAndKeepsTheData() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).runtime(ZkRuntime.ISOLATED).start()) {
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                Clients.create(client, "/kept", "x");
            }
            List<ClassLoader> before =
                    zk.nodes().stream().map(IsolatedRuntimeTests::loaderOf).toList();
            zk.stop();
            zk.start(); // every node loaded and warmed side by side, then started together
            zk.awaitServing();
            List<ClassLoader> after =
                    zk.nodes().stream().map(IsolatedRuntimeTests::loaderOf).toList();
            assertEquals(3, after.stream().distinct().count(), "each node has a loader of its own: " + after);
            for (ClassLoader loader : after) {
                assertFalse(before.contains(loader), "a start after stop() loads ZooKeeper afresh");
                assertNotEquals(ZkEnsemble.class.getClassLoader(), loader);
            }
            for (ZkNode node : zk.nodes()) {
                try (ZooKeeper client = Clients.connect(node.connectString())) {
                    assertEquals("x", Clients.read(client, "/kept"), "node " + node.id());
                }
            }
        }
    }

    @Test
    void mntrCountersAreEachNodesOwnOnTheIsolatedRuntimeAndSumsOnTheShared() throws Exception {
        try (ZkEnsemble isolated = ZkEnsemble.builder()
                        .voters(3)
                        .runtime(ZkRuntime.ISOLATED)
                        .start();
                ZkEnsemble shared =
                        ZkEnsemble.builder().voters(3).runtime(ZkRuntime.SHARED).start()) {
            for (ZkEnsemble zk : List.of(isolated, shared)) {
                try (ZooKeeper client = Clients.connect(zk.leader().connectString())) {
                    for (int i = 0; i < 10; i++) {
                        Clients.create(client, "/p" + i, "x");
                    }
                }
            }
            // only a leader makes proposals: isolated, the followers count none; shared, every node reports the sum
            assertTrue(proposals(isolated.leader()) >= 10, isolated.leader().fourLetterWord("mntr"));
            for (ZkNode follower : isolated.followers()) {
                assertEquals(0, proposals(follower), follower.fourLetterWord("mntr"));
            }
            long sum = proposals(shared.leader());
            assertTrue(sum >= 10);
            for (ZkNode follower : shared.followers()) {
                assertEquals(sum, proposals(follower), "shared counters: " + follower.fourLetterWord("mntr"));
            }
        }
    }

    @Test
    void tlsAndSaslWorkOnTheIsolatedRuntimeAcrossARestartAndAReset() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .runtime(ZkRuntime.ISOLATED)
                .tls(true)
                .saslUser("alice", "alice-secret")
                .quorumSasl(true)
                .start()) {
            assertNotEquals(ZkEnsemble.class.getClassLoader(), loaderOf(zk.node(1)));
            // a four-letter word over a TLS socket: the TLS-only client port answers
            assertTrue(zk.leader().fourLetterWord("srvr").contains("Mode: leader"));
            BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
            try (ZooKeeper alice = new ZooKeeper(
                    zk.connectString(),
                    30_000,
                    e -> states.add(e.getState()),
                    zk.saslClientConfig("alice", "alice-secret"))) {
                await("alice authenticated over TLS; nodes: " + zk.describe())
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> states.contains(Watcher.Event.KeeperState.SaslAuthenticated));
                alice.create("/private", "a".getBytes(StandardCharsets.UTF_8), ALICE_ONLY, CreateMode.PERSISTENT);
                assertEquals("a", Clients.read(alice, "/private"));
            }
            ZkNode leader = zk.leader();
            ClassLoader before = loaderOf(leader);
            leader.kill().restart().awaitServing(); // a fresh loader rejoins the TLS quorum, authenticated
            zk.awaitServing();
            assertNotEquals(before, loaderOf(leader));
            try (ZooKeeper anonymous = zk.newZooKeeper(leader.connectString())) {
                assertThrows(KeeperException.NoAuthException.class, () -> anonymous.getData("/private", false, null));
            }
            zk.reset(); // the harness's super user, granted on a TLS-only client port, clears alice's node
            try (ZooKeeper anonymous = zk.newZooKeeper()) {
                assertNull(anonymous.exists("/private", false));
            }
        }
    }

    @Test
    void aTlsAndQuorumSaslEnsembleOfMixedVersionsServesTlsClientsOnEveryNode() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                        .voters(3)
                        .tls(true)
                        .quorumSasl(true) // 3.8.6 and 3.9.5 peers authenticate each other
                        .version(ZkVersion.of("3.8.6"))
                        .version(3, ZkVersion.of("3.9.5"))
                        .start();
                ZooKeeper client = zk.newZooKeeper()) {
            assertEquals("3.8.6", zk.node(1).status().version());
            assertEquals("3.9.5", zk.node(3).status().version());
            Clients.create(client, "/mixed", "x");
            for (ZkNode node : zk.nodes()) {
                // 3.8's client ports speak TLSv1.2, 3.9's TLSv1.3: the harness's client configurations offer both
                try (ZooKeeper direct = zk.newZooKeeper(node.connectString())) {
                    direct.sync("/", (rc, path, ctx) -> {}, null);
                    assertEquals("x", Clients.read(direct, "/mixed"), "node " + node.id());
                }
            }
        }
    }

    @Test
    void theRuntimePropertyChoosesTheDefaultRuntime() {
        String before = System.getProperty("zkharness.runtime");
        System.setProperty("zkharness.runtime", "isolated");
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            assertNotEquals(ZkEnsemble.class.getClassLoader(), loaderOf(zk.node(1)));
        } finally {
            restore(before);
        }
        System.setProperty("zkharness.runtime", "separate");
        try {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> ZkEnsemble.builder().build());
            assertTrue(e.getMessage().contains("must be shared or isolated, got \"separate\""), e.getMessage());
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty("zkharness.runtime");
        } else {
            System.setProperty("zkharness.runtime", before);
        }
    }

    private static long proposals(ZkNode node) {
        for (String line : node.fourLetterWord("mntr").split("\n")) {
            if (line.startsWith("zk_proposal_count\t")) {
                return Long.parseLong(line.substring(line.indexOf('\t') + 1).trim());
            }
        }
        throw new AssertionError("no zk_proposal_count in mntr of node " + node.id());
    }

    /** The class loader of the node's current run, read through the harness's own parts. */
    static ClassLoader loaderOf(ZkNode node) {
        return node.runtime().process().bridge().getClass().getClassLoader();
    }
}
