package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.testkit.Clients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which voter leads: the builder's placement after a start and a reset, and {@code moveLeader} at runtime, through
 * ZooKeeper's own election on real ensembles.
 */
class LeaderPlacementTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static int leaderId(ZkEnsemble zk) {
        return zk.awaitLeader(WAIT).id();
    }

    /** Every running node serves, all under the leader {@code id}. */
    private static void assertLedBy(ZkEnsemble zk, int id) {
        zk.awaitServing(WAIT);
        assertEquals(id, zk.leader().id(), zk.describe());
        for (ZkNode node : zk.nodes()) {
            assertTrue(node.isServing(), node + " serves");
            Role expected = node.id() == id ? Role.LEADER : node.isVoter() ? Role.FOLLOWER : Role.OBSERVER;
            assertEquals(expected, node.role(), zk.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void theChosenVoterOfThreeLeadsAfterAFreshStart(int id) {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).leader(LeaderPlacement.node(id)).start()) {
            assertLedBy(zk, id);
            assertEquals(Optional.of(zk.node(id)), zk.preferredLeader());
            assertTrue(zk.toString().contains("leader placement node " + id), zk.toString());
        }
    }

    @Test
    void withoutAPlacementTheHighestIdLeadsAsInZooKeeper() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            assertLedBy(zk, 3);
            assertEquals(Optional.empty(), zk.preferredLeader());
            assertTrue(!zk.toString().contains("leader placement"), zk.toString());
        }
    }

    @Test
    void theLowestIdLeadsAgainAfterTheWholeEnsembleStopsAndStarts() {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).leader(LeaderPlacement.node(1)).start()) {
            assertLedBy(zk, 1);
            zk.stop();
            zk.start();
            assertLedBy(zk, 1);
        }
    }

    @Test
    void withObserversAVoterLeadsAndAnObserverIsRefusedWhenTheEnsembleIsBuilt() {
        ZkEnsemble.Builder observing =
                ZkEnsemble.builder().voters(3).observers(1).leader(LeaderPlacement.node(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, observing::build);
        assertTrue(e.getMessage().contains("node(4)") && e.getMessage().contains("observer"), e.getMessage());

        ZkEnsemble.Builder stranger = ZkEnsemble.builder().voters(3).leader(LeaderPlacement.node(9));
        e = assertThrows(IllegalArgumentException.class, stranger::build);
        assertTrue(e.getMessage().contains("node(9)") && e.getMessage().contains("1..3"), e.getMessage());

        ZkEnsemble.Builder shifted = ZkEnsemble.builder().firstId(4).voters(3).leader(LeaderPlacement.node(1));
        e = assertThrows(IllegalArgumentException.class, shifted::build);
        assertTrue(e.getMessage().contains("4..6"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> LeaderPlacement.node(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(NullPointerException.class, () -> ZkEnsemble.builder().leader(null));

        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .observers(1)
                .leader(LeaderPlacement.node(2))
                .start()) {
            assertLedBy(zk, 2);
        }
    }

    @Test
    void aSeedDrawsTheSameVoterEveryTimeAndSeedsSpreadOverEveryVoter() {
        Set<Integer> drawn = new TreeSet<>();
        for (long seed = 0; seed < 30; seed++) {
            int first = preferredOf(ZkEnsemble.builder().voters(3).leader(LeaderPlacement.random(seed)));
            int again = preferredOf(ZkEnsemble.builder().voters(3).leader(LeaderPlacement.random(seed)));
            assertEquals(first, again, "seed " + seed);
            assertTrue(first >= 1 && first <= 3, "seed " + seed + " drew " + first);
            drawn.add(first);
        }
        assertEquals(Set.of(1, 2, 3), drawn, "30 seeds drew only " + drawn);

        // observers are never drawn, and the draw follows firstId
        for (long seed = 0; seed < 30; seed++) {
            int id = preferredOf(
                    ZkEnsemble.builder().firstId(5).voters(3).observers(2).leader(LeaderPlacement.random(seed)));
            assertTrue(id >= 5 && id <= 7, "seed " + seed + " drew " + id);
        }
    }

    private static int preferredOf(ZkEnsemble.Builder builder) {
        try (ZkEnsemble zk = builder.build()) {
            return zk.preferredLeader().orElseThrow().id();
        }
    }

    @Test
    void theVoterASeedDrawsLeadsAndTheEnsembleNamesIt() {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .leader(LeaderPlacement.random(42))
                .start()) {
            int drawn = zk.preferredLeader().orElseThrow().id();
            assertLedBy(zk, drawn);
            assertTrue(zk.toString().contains("leader placement random(seed 42): node " + drawn), zk.toString());
        }
    }

    @Test
    void theLeaderMovesToEachVoterInTurnWithTheDataWrittenBefore() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            List<String> written = new ArrayList<>();
            for (int id : new int[] {1, 2, 3, 2, 2}) {
                String path = "/before-move-to-" + id + "-" + written.size();
                Clients.createWithin(client, path, WAIT);
                written.add(path);
                ZkNode before = zk.leader();
                long epoch = before.status().epoch();
                ZkNode target = zk.moveLeader(zk.node(id));
                assertEquals(id, target.id());
                assertLedBy(zk, id);
                // one election per move: the preference decided it (ZooKeeper's order alone would elect the
                // higher of the two others, and the move would restart that one too)
                assertEquals(
                        before == target ? epoch : epoch + 1, target.status().epoch(), zk.describe());
                assertEquals(Optional.of(zk.node(id)), zk.preferredLeader());
                try (ZooKeeper onTarget = Clients.connect(target.connectString())) {
                    for (String p : written) {
                        assertTrue(onTarget.exists(p, false) != null, p + " on node " + id);
                    }
                }
            }
        }
    }

    @Test
    void theLeaderMovesInEnsemblesOfTwoAndFiveVoters() throws Exception {
        // two voters: the leader's stop leaves no quorum, so the election waits for its restart
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(2).start()) {
            assertLedBy(zk, 2);
            zk.moveLeader(zk.node(1));
            assertLedBy(zk, 1);
        }
        try (ZkEnsemble zk = ZkEnsemble.builder()
                        .voters(5)
                        .leader(LeaderPlacement.node(2))
                        .start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            assertLedBy(zk, 2);
            Clients.createWithin(client, "/five", WAIT);
            zk.moveLeader(zk.node(4));
            assertLedBy(zk, 4);
        }
    }

    @Test
    void theLeaderMovesUnderASteadyWriteLoad() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper writer = Clients.connect(zk.connectString())) {
            Clients.create(writer, "/load", "0");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            Thread load = new Thread(() -> {
                while (writing.get()) {
                    try {
                        writer.setData("/load", Long.toString(written.get()).getBytes(StandardCharsets.UTF_8), -1);
                        written.incrementAndGet();
                    } catch (KeeperException e) {
                        // a connection loss while the leader changes: the next write goes on
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            load.start();
            try {
                for (int id : new int[] {1, 2, 3}) {
                    long before = written.get();
                    zk.moveLeader(zk.node(id));
                    assertEquals(id, zk.leader().id(), zk.describe());
                    zk.await("writes under node " + id, () -> written.get() > before + 10);
                }
            } finally {
                writing.set(false);
                load.join(WAIT.toMillis());
            }
            assertTrue(!load.isAlive(), "the writer stopped");
        }
    }

    @Test
    void aMoveIsARealRestartOfTheLeaderAsRecordedFaultsShowAndClientsKeepTheirSessions() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(
                        zk.node(3).connectString() + "," + zk.node(1).connectString())) {
            long session = client.getSessionId();
            History history = new History();
            try (ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "test")) {
                zk.moveLeader(zk.node(1));
            }
            List<String> faults = history.events().stream()
                    .filter(e -> e.kind().equals(History.FAULT_START))
                    .map(Event::description)
                    .toList();
            assertEquals(List.of("stop node 3"), faults);
            assertEquals(session, client.getSessionId());
            Clients.createWithin(client, "/same-session", WAIT);
        }
    }

    @Test
    void aMoveToAPartitionedVoterFailsWithinItsTimeoutAndTheEnsembleServesOn() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            int leader = leaderId(zk);
            ZkNode cutOff = zk.node(leader == 1 ? 2 : 1);
            Fault isolation = zk.network().isolate(cutOff);
            cutOff.awaitNotServing(WAIT);

            Duration timeout = Duration.ofSeconds(3);
            long started = System.nanoTime();
            ZkTimeoutException e = assertThrows(ZkTimeoutException.class, () -> zk.moveLeader(cutOff, timeout));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(e.getMessage().contains("node " + cutOff.id() + " to follow leader " + leader), e.getMessage());
            assertTrue(e.getMessage().contains("cut off from a quorum"), e.getMessage());
            assertTrue(took.compareTo(timeout.plusSeconds(2)) < 0, "took " + took);

            // nothing was restarted: the same leader serves the rest, and the elections prefer no one
            assertEquals(leader, zk.leader().id());
            assertEquals(Optional.empty(), zk.preferredLeader());
            try (ZooKeeper client = Clients.connect(zk.node(leader).connectString())) {
                Clients.createWithin(client, "/still-serving", WAIT);
            }

            isolation.heal();
            zk.awaitServing(WAIT);
            zk.moveLeader(cutOff);
            assertLedBy(zk, cutOff.id());
        }
    }

    @Test
    void onlyARunningVoterOfThisEnsembleWithAQuorumCanBeMadeLeader() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start();
                ZkEnsemble other = ZkEnsemble.builder().voters(1).build()) {
            IllegalArgumentException observer =
                    assertThrows(IllegalArgumentException.class, () -> zk.moveLeader(zk.node(4)));
            assertTrue(observer.getMessage().contains("node 4 is an observer"), observer.getMessage());

            IllegalArgumentException foreign =
                    assertThrows(IllegalArgumentException.class, () -> zk.moveLeader(other.node(1)));
            assertTrue(foreign.getMessage().contains("belongs to"), foreign.getMessage());
            assertThrows(NullPointerException.class, () -> zk.moveLeader(null));
            assertThrows(IllegalArgumentException.class, () -> zk.moveLeader(zk.node(1), Duration.ZERO));

            zk.node(1).stop();
            IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> zk.moveLeader(zk.node(1)));
            assertTrue(stopped.getMessage().contains("node 1 is STOPPED"), stopped.getMessage());

            zk.node(2).stop();
            IllegalStateException noQuorum = assertThrows(IllegalStateException.class, () -> zk.moveLeader(zk.node(3)));
            assertTrue(noQuorum.getMessage().contains("only 1 of 3 voters run"), noQuorum.getMessage());
            zk.node(1).restart();
            zk.node(2).restart();
            zk.awaitServing(WAIT);

            ZkNode removed = zk.node(2);
            zk.remove(removed);
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> zk.moveLeader(removed));
            assertTrue(gone.getMessage().contains("node 2 was removed"), gone.getMessage());
        }
    }

    @Test
    void aVoterAddedAtRuntimeCanLeadAndRemovingThePreferredVoterLeavesTheOthersLeading() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode added = zk.addVoter();
            zk.moveLeader(added);
            assertLedBy(zk, added.id());

            // the preferred voter leaves: the others elect one of themselves, and a move among them still works
            zk.remove(added);
            int next = leaderId(zk);
            zk.awaitServing(WAIT);
            int target = next == 1 ? 2 : 1;
            zk.moveLeader(zk.node(target));
            assertLedBy(zk, target);

            // a voter made an observer can no longer be chosen; made a voter again, it can
            ZkNode demoted = zk.makeObserver(zk.node(3));
            assertThrows(IllegalArgumentException.class, () -> zk.moveLeader(demoted));
            zk.makeVoter(demoted);
            zk.moveLeader(demoted);
            assertLedBy(zk, 3);
        }
    }

    @Test
    void resetPutsTheBuildersPlacementBack() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).leader(LeaderPlacement.node(1)).start()) {
            zk.moveLeader(zk.node(2));
            assertLedBy(zk, 2);
            zk.reset();
            assertLedBy(zk, 1);
            assertEquals(Optional.of(zk.node(1)), zk.preferredLeader());
        }
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            zk.moveLeader(zk.node(1));
            zk.reset();
            // ZooKeeper's own order again: no preference, and no election forced
            assertEquals(Optional.empty(), zk.preferredLeader());
            zk.awaitServing(WAIT);
        }
    }
}
