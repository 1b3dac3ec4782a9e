package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** The isolated runtime: each node's ZooKeeper in a class loader of its own, behind the same API. */
class IsolatedRuntimeTests {

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
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
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
