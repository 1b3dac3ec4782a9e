package io.github.zkharness.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.Fault;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.Clients;
import io.github.zkharness.testkit.TreeReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Reproduces a ZooKeeper (3.9.5) learner-sync bug that the fault soak found (seed 8437453047110274522): a leader whose
 * own transaction log has a hole syncs a lagging learner with a DIFF read from that log, so the learner skips a
 * contiguous range of committed transactions (and applies the leader's old uncommitted ones) yet ends at the same
 * zxid as everyone else. This is not in the default build (the class name matches no surefire include); run it with
 * <pre>
 * ./mvnw -o -B -pl harness-core -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ObserverDiffGapReproducer
 * </pre>
 *
 * <p>The sequence, on 3 voters and 1 observer O (all ZooKeeper defaults except tickTime 100 ms):
 * <ol>
 * <li>L leads (epoch e); L, O and the other voters hold the same committed zxid Z.</li>
 * <li>partition {L, O} | the other voters, and at once write through L: L logs proposals Z+1.. to its own
 *     transaction log, which nobody acknowledges.</li>
 * <li>the majority elects M (epoch e+1) and commits writes (e+1, 1)..(e+1, n).</li>
 * <li>O is isolated; the partition heals. L rejoins M; its last zxid is from an older epoch and not in M's history,
 *     so M's LearnerHandler cannot TRUNC it ("peer zxid is from different epoch") and falls back to a SNAP at
 *     (e+1, n). L loads the snapshot, but its transaction log still holds Z+1.. and goes on at (e+1, n+1).</li>
 * <li>M is isolated; L (the higher sid, same zxid) is elected leader of epoch e+2.</li>
 * <li>O is let back. Its last zxid Z is below L's in-memory committedLog (cleared by the SNAP), so
 *     LearnerHandler.syncFollower takes "Use txnlog and committedLog" and sends a DIFF read from L's transaction log:
 *     Z+1.. (never committed), then (e+1, n+1).. : (e+1, 1)..(e+1, n) are never sent. Learner.syncWithLeader only
 *     warns ("DIFF sync got new epoch proposal ..."), because a jump to a new epoch is accepted.</li>
 * </ol>
 * The first test states what must hold (O's tree equals the leader's) and fails on 3.9.5 and on 3.8.6
 * ({@code -Dzookeeper.version=3.8.6}). The second is the same sequence with {@code serverSetting("snapshotSizeFactor", "-1")}
 * (on-disk txn sync off, so O gets a SNAP) and passes. The sync path (LearnerHandler.syncFollower) is the same for
 * followers: in a soak replay a follower got such a DIFF too, and led for a while with the hole.
 */
class ObserverDiffGapReproducer {

    private static final int SESSION_TIMEOUT_MS = 4000;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int COMMITTED_IN_NEW_EPOCH = 20;

    @Test
    void observerSyncedByAFormerlySnapSyncedLeaderHasTheLeadersTree() throws Exception {
        runScenario(false);
    }

    @Test
    void withOnDiskTxnSyncOffTheObserverHasTheLeadersTree() throws Exception {
        runScenario(true); // serverSetting("snapshotSizeFactor", "-1"): per ensemble, nothing JVM-wide
    }

    private static void runScenario(boolean noTxnLogSync) throws Exception {
        ZkEnsemble.Builder builder = ZkEnsemble.builder().voters(3).observers(1);
        if (noTxnLogSync) {
            builder.serverSetting("snapshotSizeFactor", "-1");
        }
        try (ZkEnsemble zk = builder.start()) {
            ZkNode observer = zk.observers().get(0);
            ZkNode oldLeader = zk.awaitLeader(WAIT);
            int lowestVoter = zk.voters().stream().mapToInt(ZkNode::id).min().orElseThrow();
            // the old leader must win the election against the voter left beside it later: not the lowest sid
            for (int i = 0; i < 5 && oldLeader.id() == lowestVoter; i++) {
                oldLeader.kill();
                oldLeader.restart();
                oldLeader = zk.awaitLeader(WAIT);
            }
            assertNotEquals(lowestVoter, oldLeader.id(), "could not make a voter other than the lowest lead");
            try (ZooKeeper client = Clients.connect(zk.connectString(), SESSION_TIMEOUT_MS)) {
                client.create("/r", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                for (int i = 0; i < 10; i++) {
                    create(client, "/r/base-" + i);
                }
            }
            awaitSameZxid(zk, "every node at the leader's zxid before the partition");

            ZkNode l = oldLeader;
            List<Integer> others = zk.voters().stream()
                    .map(ZkNode::id)
                    .filter(id -> id != l.id())
                    .toList();
            try (ZooKeeper onOldLeader = Clients.connect(l.connectString(), SESSION_TIMEOUT_MS)) {
                Fault partition = zk.network().isolate(l, observer);
                // proposals the old leader logs but nobody acknowledges
                for (int i = 0; i < 5; i++) {
                    onOldLeader.create(
                            "/r/uncommitted-" + i,
                            new byte[0],
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT,
                            (rc, path, ctx, name) -> {},
                            null);
                }
                zk.await(
                        "a new leader among " + others,
                        WAIT,
                        () -> zk.findLeader()
                                .filter(n -> others.contains(n.id()) && n.isServing())
                                .isPresent());
                ZkNode newLeader = zk.leader();
                try (ZooKeeper onNewLeader = Clients.connect(newLeader.connectString(), SESSION_TIMEOUT_MS)) {
                    for (int i = 0; i < COMMITTED_IN_NEW_EPOCH; i++) {
                        create(onNewLeader, "/r/new-epoch-" + i);
                    }
                }
                Fault observerAlone = zk.network().isolate(observer);
                partition.heal();
                zk.await(
                        "node " + l.id() + " follows node " + newLeader.id() + " at its zxid",
                        WAIT,
                        () -> l.role() == Role.FOLLOWER
                                && l.isServing()
                                && l.status().lastZxid() == newLeader.status().lastZxid());
                try (ZooKeeper onNewLeader = Clients.connect(newLeader.connectString(), SESSION_TIMEOUT_MS)) {
                    for (int i = 0; i < 3; i++) {
                        create(onNewLeader, "/r/after-snap-" + i);
                    }
                }
                zk.await(
                        "node " + l.id() + " at node " + newLeader.id() + "'s zxid",
                        WAIT,
                        () -> l.status().lastZxid() == newLeader.status().lastZxid());
                Fault newLeaderAlone = zk.network().isolate(newLeader);
                zk.await(
                        "a serving leader other than node " + newLeader.id(),
                        WAIT,
                        () -> zk.findLeader()
                                .filter(n -> n.id() != newLeader.id() && n.isServing())
                                .isPresent());
                ZkNode third = zk.leader();
                if (third.id() != l.id()) {
                    fail("scenario not reached: node " + third.id() + " leads, not the SNAP-synced node " + l.id()
                            + "; " + zk.describe());
                }
                observerAlone.heal();
                newLeaderAlone.heal();
            }
            ZkNode leader = zk.awaitLeader(WAIT);
            try (ZooKeeper client = Clients.connect(leader.connectString(), SESSION_TIMEOUT_MS)) {
                create(client, "/r/end");
            }
            awaitSameZxid(zk, "every node at the leader's zxid after the heal");
            Map<String, String> leaderTree = tree(leader);
            Map<String, String> observerTree = tree(observer);
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < COMMITTED_IN_NEW_EPOCH; i++) {
                if (!observerTree.containsKey("/r/new-epoch-" + i)) {
                    missing.add("/r/new-epoch-" + i);
                }
            }
            assertEquals(
                    leaderTree,
                    observerTree,
                    "observer " + observer.id() + " at zxid 0x"
                            + Long.toHexString(observer.status().lastZxid()) + " differs from leader " + leader.id()
                            + " at 0x"
                            + Long.toHexString(leader.status().lastZxid()) + ": "
                            + TreeReader.differences(leaderTree, observerTree, 30)
                            + "; committed writes of the middle epoch missing on the observer: " + missing.size()
                            + " of "
                            + COMMITTED_IN_NEW_EPOCH + "; " + zk.describe());
        }
    }

    private static void create(ZooKeeper client, String path) throws Exception {
        client.create(path, path.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    private static Map<String, String> tree(ZkNode node) throws Exception {
        try (ZooKeeper client = Clients.connect(node.connectString(), SESSION_TIMEOUT_MS)) {
            return TreeReader.read(client);
        }
    }

    private static void awaitSameZxid(ZkEnsemble zk, String what) {
        zk.await(
                what,
                WAIT,
                () -> zk.findLeader()
                        .map(leader -> zk.nodes().stream()
                                .allMatch(n -> n.isServing()
                                        && n.status().lastZxid()
                                                == leader.status().lastZxid()))
                        .orElse(false));
    }
}
