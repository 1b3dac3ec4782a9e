package io.github.zkharness.network;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.Fault;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNetwork;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Partitions and isolation: ZooKeeper's promises as users test them, and proof that no link leaks. */
class PartitionTests {

    @Test
    void anIsolatedLeaderStepsDownTheMajorityGoesOnAndHealingRejoinsIt() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper majority = Clients.connect(zk.connectString());
                ZooKeeper onOldLeader = Clients.connect(zk.leader().connectString())) {
            ZkNode old = zk.leader();
            try (Fault isolated = zk.network().isolateLeader()) {
                assertEquals("isolate node " + old.id() + " (leader)", isolated.description());
                assertEquals(List.of(isolated), zk.network().faults());
                // within syncLimit x tickTime (500 ms here) it stops leading; allow scheduling noise
                old.awaitRole(Role.LOOKING, Duration.ofSeconds(5));
                ZkNode next = zk.awaitLeader(Duration.ofSeconds(10));
                assertNotEquals(old.id(), next.id());
                Clients.createWithin(majority, "/majority-write", Duration.ofSeconds(20));
                assertFalse(
                        Clients.tryCreate(onOldLeader, "/through-the-old-leader"),
                        "the cut-off old leader took a write");
                await().during(Duration.ofMillis(500))
                        .atMost(Duration.ofSeconds(2))
                        .until(() -> !old.isServing());
            }
            zk.awaitServing(Duration.ofSeconds(20));
            assertTrue(zk.network().faults().isEmpty());
            Net.assertIdenticalData(zk);
            assertNull(majority.exists("/through-the-old-leader", false));
        }
    }

    @Test
    void isolatingTheHighestAndALowerIdNeverLeaks() throws Exception {
        // a bypassed link shows here: ZooKeeper dials some election connections back to the address a peer
        // advertises, so a partition that only rewrote views would leak for about half the pairs
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            for (int round = 0; round < 2; round++) {
                for (int id : new int[] {3, 1, 2}) {
                    ZkNode node = zk.node(id);
                    try (Fault f = zk.network().isolate(zk.node(id))) {
                        if (node.role() != Role.LOOKING) {
                            node.awaitRole(Role.LOOKING, Duration.ofSeconds(5));
                        }
                        zk.awaitLeader(Duration.ofSeconds(10));
                        // while cut off it can neither lead nor follow, however long we look
                        await().during(Duration.ofMillis(700))
                                .atMost(Duration.ofSeconds(3))
                                .until(() -> node.role() == Role.LOOKING);
                    }
                    zk.awaitServing(Duration.ofSeconds(20));
                }
            }
            Net.assertIdenticalData(zk);
        }
    }

    @Test
    void aMinorityNeverCommitsAndTheMajorityDoes() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(5).start();
                ZooKeeper minority = Clients.connect(zk.node(1).connectString());
                ZooKeeper majority = Clients.connect(zk.node(5).connectString())) {
            try (Fault split = zk.network()
                    .partition(List.of(zk.node(1), zk.node(2)), List.of(zk.node(3), zk.node(4), zk.node(5)))) {
                assertEquals("partition 1,2|3,4,5", split.description());
                zk.node(1).awaitRole(Role.LOOKING, Duration.ofSeconds(5));
                zk.node(2).awaitRole(Role.LOOKING, Duration.ofSeconds(5));
                Clients.createWithin(majority, "/majority", Duration.ofSeconds(20));
                assertFalse(Clients.tryCreate(minority, "/minority"));
            }
            zk.awaitServing(Duration.ofSeconds(20));
            Net.assertIdenticalData(zk);
            assertNull(majority.exists("/minority", false), "a write of the minority was committed");
        }
    }

    @Test
    void fiveNodesSplitTwoTwoOneHaveNoLeader() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(5).start()) {
            try (Fault split = zk.network()
                    .partition(List.of(zk.node(1), zk.node(2)), List.of(zk.node(3), zk.node(4)), List.of(zk.node(5)))) {
                for (ZkNode node : zk.nodes()) {
                    node.awaitRole(Role.LOOKING, Duration.ofSeconds(5));
                }
                await().during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(3))
                        .until(() -> zk.findLeader().isEmpty());
            }
            zk.awaitServing(Duration.ofSeconds(20));
        }
    }

    @Test
    void badPartitionsAreRefusedWithTheReason() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNetwork net = zk.network();
            assertEquals(
                    "a partition needs at least two groups, got 1: [[1, 2, 3]]",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> net.partition(List.of(zk.node(1), zk.node(2), zk.node(3))))
                            .getMessage());
            assertEquals(
                    "node 2 is in two partition groups: [[1, 2], [2, 3]]",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> net.partition(
                                            List.of(zk.node(1), zk.node(2)), List.of(zk.node(2), zk.node(3))))
                            .getMessage());
            assertEquals(
                    "nodes [3] are in no partition group: name every node [1, 2, 3] in exactly one group",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> net.partition(List.of(zk.node(1)), List.of(zk.node(2))))
                            .getMessage());
            assertEquals(
                    "no node with id 7 in " + zk.name() + "; ids are [1, 2, 3]",
                    assertThrows(IllegalArgumentException.class, () -> net.isolate(zk.node(7)))
                            .getMessage());
            assertEquals(
                    "a link joins two different nodes, got 2 and 2",
                    assertThrows(IllegalArgumentException.class, () -> net.cut(zk.node(2), zk.node(2)))
                            .getMessage());
            assertTrue(net.faults().isEmpty(), "a refused fault must not be half-applied");
        }
    }
}
