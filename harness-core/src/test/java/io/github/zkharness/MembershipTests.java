package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import io.github.zkharness.testkit.ProcNet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Observers and voters at start and added or removed at runtime, through ZooKeeper's real reconfiguration. */
class MembershipTests {

    private static String config(ZooKeeper client) throws Exception {
        return new String(client.getConfig(false, null), StandardCharsets.UTF_8);
    }

    @Test
    void anObserverAddsNoVoteTwoVotersAndAnObserverStopWhenOneVoterIsDown() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(2).observers(1).start();
                ZooKeeper client = Clients.connect(zk.node(3).connectString())) {
            assertTrue(Clients.tryCreate(client, "/all-up"));
            zk.node(1).stop();
            // two of three servers run, but only one of the two voters: no quorum, no writes
            zk.node(2).awaitRole(Role.LOOKING, Duration.ofSeconds(10));
            assertFalse(Clients.tryCreate(client, "/one-voter-down"));
            assertTrue(zk.findLeader().isEmpty());
        }
    }

    @Test
    void anObserverAddedAtRuntimeHasTheDataServesAndForwardsAndLeavesCleanly() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            Clients.create(client, "/before", "old");
            ZkNode observer = zk.addObserver();
            assertEquals(4, observer.id());
            assertEquals(Role.OBSERVER, observer.role());
            assertTrue(observer.fourLetterWord("srvr").contains("Mode: observer"));
            assertTrue(
                    java.nio.file.Files.readString(observer.status().dataDir().resolve("myid"))
                            .startsWith("4"));
            String spec = "server.4=127.0.0.1:" + observer.status().quorumPort() + ":"
                    + observer.status().electionPort() + ":observer;127.0.0.1:"
                    + observer.status().clientAddress().getPort();
            // the harness reconfigures through the leader; client's own server may apply the new configuration later
            await("node 4 in the configuration client's server reports")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertTrue(config(client).contains(spec), config(client)));
            assertTrue(zk.connectString().contains(observer.connectString()));
            try (ZooKeeper direct = Clients.connect(observer.connectString())) {
                assertEquals("old", Clients.read(direct, "/before"));
                Clients.create(direct, "/forwarded", "by the observer");
            }
            // the create returned once the observer applied it; client's server may apply it later
            await("client's server to have /forwarded")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> client.exists("/forwarded", false) != null);
            assertEquals("by the observer", Clients.read(client, "/forwarded"));

            zk.remove(observer);
            assertEquals(NodeState.REMOVED, observer.state());
            assertEquals(List.of(1, 2, 3), zk.nodes().stream().map(ZkNode::id).toList());
            await("node 4 gone from the configuration client's server reports")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertFalse(config(client).contains("server.4="), config(client)));
            assertTrue(Clients.tryCreate(client, "/after-removal"));
        }
    }

    @Test
    void aRemovedNodeNoLongerListensOnItsElectionOrQuorumPortOnceRemoveReturns() {
        // a reconfiguration makes the removed peer restart its election while it is shut down: the harness stops
        // what that restart started, or its listener kept the election port (and rebound it when interrupted)
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            for (int round = 0; round < 5; round++) {
                ZkNode added = round % 2 == 0 ? zk.addObserver() : zk.addVoter();
                int election = added.status().electionPort();
                int quorum = added.status().quorumPort();
                zk.remove(added);
                List<ProcNet.Listener> left = ProcNet.ownListeners().stream()
                        .filter(l -> l.port() == election || l.port() == quorum)
                        .toList();
                assertEquals(List.of(), left, "round " + round + ", node " + added.id() + ": " + zk.describe());
            }
        }
    }

    @Test
    void aVoterAddedAtRuntimeCountsTowardTheQuorum() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(2).start()) {
            ZkNode added = zk.addVoter();
            assertTrue(added.isVoter());
            assertEquals(3, zk.voters().size());
            // with 2 voters, losing one loses the quorum; with the new voter counted, 2 of 3 remain
            zk.node(1).stop();
            zk.awaitServing(Duration.ofSeconds(20));
            try (ZooKeeper client = Clients.connect(added.connectString())) {
                Clients.createWithin(client, "/quorum-of-two-of-three", Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void removingTheLeaderMakesTheRestElectANewOne() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(4).start()) {
            ZkNode old = zk.leader();
            zk.remove(old);
            ZkNode next = zk.awaitLeader(Duration.ofSeconds(20));
            assertNotEquals(old.id(), next.id());
            assertEquals(3, zk.voters().size());
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                assertTrue(Clients.tryCreate(client, "/after-leader-left"));
                assertFalse(config(client).contains("server." + old.id() + "="));
            }
        }
    }

    @Test
    void isolatingRuntimeAddedNodesWorksForAHigherAndAReusedLowerId() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode higher = zk.addObserver();
            assertEquals(4, higher.id());
            assertIsolatable(zk, higher);
            zk.remove(zk.node(2));
            ZkNode reused = zk.addVoter();
            assertEquals(2, reused.id(), "the lowest free id comes back");
            assertIsolatable(zk, reused);
            LinkContractTests.assertThroughLinks(zk);
        }
    }

    private static void assertIsolatable(ZkEnsemble zk, ZkNode node) {
        try (Fault f = zk.network().isolate(node)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.isServing());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !node.isServing());
            zk.awaitLeader(Duration.ofSeconds(10));
        }
        node.awaitServing(Duration.ofSeconds(20));
    }

    @Test
    void aVoterBecomesAnObserverAndBack() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(4).start()) {
            ZkNode node = zk.followers().get(0);
            zk.makeObserver(node);
            assertTrue(!node.isVoter());
            await().atMost(Duration.ofSeconds(10)).until(() -> node.role() == Role.OBSERVER);
            assertEquals(3, zk.voters().size());
            zk.makeVoter(node);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> node.role() == Role.FOLLOWER || node.role() == Role.LEADER);
        }
    }

    @Test
    void resetPutsTheDeclaredMembershipBack() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            zk.addObserver();
            zk.remove(zk.node(2));
            zk.reset();
            assertEquals(List.of(1, 2, 3), zk.nodes().stream().map(ZkNode::id).toList());
            assertTrue(zk.nodes().stream().allMatch(ZkNode::isVoter));
            assertTrue(zk.nodes().stream().allMatch(ZkNode::isServing));
        }
    }

    @Test
    void membershipChangesThatCannotWorkAreRefusedWithTheReason() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode two = zk.node(2);
            ZkNode victim = zk.node(2).role() == Role.LEADER ? zk.node(3) : zk.node(2);
            victim.kill();
            zk.awaitServing();
            assertEquals(
                    "removing node 1 would leave no quorum: of the 2 remaining voters only 1 serve; nodes: ",
                    assertThrows(IllegalStateException.class, () -> zk.remove(zk.node(1)))
                            .getMessage()
                            .replaceAll("nodes: .*", "nodes: "));
            victim.restart();
            zk.awaitServing();
            zk.remove(zk.node(2));
            assertEquals(
                    "node 2 was removed already",
                    assertThrows(IllegalStateException.class, () -> zk.remove(two))
                            .getMessage());
            assertEquals(
                    "removing node 1 would leave 1 voter; ZooKeeper needs at least 2 voters after a"
                            + " reconfiguration (it runs a single voter on its own, as a standalone server)",
                    assertThrows(IllegalStateException.class, () -> zk.remove(zk.node(1)))
                            .getMessage());
            assertEquals(
                    "node 1 is already a voter",
                    assertThrows(IllegalStateException.class, () -> zk.makeVoter(zk.node(1)))
                            .getMessage());
            zk.close();
            assertEquals(
                    "ensemble " + zk.name() + " is closed",
                    assertThrows(IllegalStateException.class, zk::addObserver).getMessage());
        }
    }
}
