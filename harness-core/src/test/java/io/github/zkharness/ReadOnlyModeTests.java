package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.internal.JvmGlobals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Read-only mode as ZooKeeper means it: a node cut off from its quorum serves reads to clients that allow it, refuses
 * their writes, and rejoins after the heal; what the harness sets for it, JVM-wide and per server.
 */
class ReadOnlyModeTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aPartitionedMinorityNodeServesReadsAndRefusesWritesThenRejoins() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).readOnlyMode(true).start();
                // with local sessions, a session that never created an ephemeral is known to its server alone: a
                // client that moved off a node cut off would find its session expired, so this one stays on the leader
                ZooKeeper writer = zk.leader().newZooKeeper()) {
            writer.create("/config", bytes("v1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            long written = writer.exists("/config", false).getMzxid();
            ZkNode cutOff = zk.followers().get(0);
            zk.await(
                    "node " + cutOff.id() + " has /config",
                    WAIT,
                    () -> cutOff.status().lastZxid() >= written);

            Fault partition = zk.network().isolate(cutOff);
            cutOff.awaitRole(Role.READ_ONLY, WAIT);
            assertThat(cutOff.isServing())
                    .as("a read-only node does not count as serving")
                    .isFalse();
            assertThat(cutOff.status().role()).isEqualTo(Role.READ_ONLY);

            // ZooKeeper's own client, allowed to connect read-only
            CopyOnWriteArrayList<Watcher.Event.KeeperState> states = new CopyOnWriteArrayList<>();
            try (ZooKeeper reader = new ZooKeeper(cutOff.connectString(), 30_000, e -> states.add(e.getState()), true);
                    CuratorFramework curator = CuratorFrameworkFactory.builder()
                            .connectString(cutOff.connectString())
                            .canBeReadOnly(true)
                            .retryPolicy(new RetryOneTime(100))
                            .build()) {
                await("a canBeReadOnly client connected read-only to node " + cutOff.id())
                        .atMost(WAIT)
                        .until(() -> states.contains(Watcher.Event.KeeperState.ConnectedReadOnly));
                assertThat(reader.getData("/config", false, new Stat())).isEqualTo(bytes("v1"));
                assertThatThrownBy(() -> reader.setData("/config", bytes("v2"), -1))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);

                CopyOnWriteArrayList<ConnectionState> curatorStates = new CopyOnWriteArrayList<>();
                curator.getConnectionStateListenable().addListener((c, s) -> curatorStates.add(s));
                curator.start();
                await("Curator reporting READ_ONLY on node " + cutOff.id())
                        .atMost(WAIT)
                        .until(() -> curatorStates.contains(ConnectionState.READ_ONLY));
                assertThat(curator.getData().forPath("/config")).isEqualTo(bytes("v1"));
                assertThatThrownBy(() -> curator.create().forPath("/curator-write"))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);

                partition.heal();
                cutOff.awaitRole(Role.FOLLOWER, WAIT);
                zk.awaitServing(WAIT);
                // the client moves to the healed server, now read-write, with a local session; its first ephemeral
                // upgrades that session to a global one, which every server then knows
                await("node " + cutOff.id() + "'s client connected read-write again")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> states.get(states.size() - 1) == Watcher.Event.KeeperState.SyncConnected);
                reader.create("/owned", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                // the writes return once the reader's server (cutOff) applied them; the leader, which the writer
                // reads from, may apply them later (reads are not linearizable across servers)
                Stat owned = await("the ephemeral, seen by another client on the leader")
                        .atMost(WAIT)
                        .until(() -> writer.exists("/owned", false), Objects::nonNull);
                assertThat(owned.getEphemeralOwner()).isEqualTo(reader.getSessionId());
                reader.setData("/config", bytes("v2"), -1);
                await("v2, seen by another client on the leader")
                        .atMost(WAIT)
                        .until(() -> Arrays.equals(writer.getData("/config", false, null), bytes("v2")));
            }
        }
    }

    @Test
    void theHarnessSetsZooKeepersSwitchOnlyWhileAReadOnlyEnsembleRuns() {
        assertThat(System.getProperty(JvmGlobals.READ_ONLY_MODE)).isNull();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).readOnlyMode(true).start()) {
            assertThat(System.getProperty(JvmGlobals.READ_ONLY_MODE)).isEqualTo("true");
            assertThat(zk.node(1).role()).isEqualTo(Role.LEADER);
        }
        assertThat(System.getProperty(JvmGlobals.READ_ONLY_MODE)).isNull();
    }

    @Test
    void readOnlyModeRefusesLocalSessionsTurnedOff() {
        assertThatThrownBy(() -> ZkEnsemble.builder()
                        .readOnlyMode(true)
                        .serverSetting("localSessionsEnabled", "false")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("server setting localSessionsEnabled=false for every server breaks read-only mode"
                        + " (readOnlyMode(true) is on): ZooKeeper's read-only server accepts only local sessions, and"
                        + " a local session must be upgraded to a global one when the server rejoins its quorum; leave"
                        + " localSessionsEnabled unset (read-only mode turns it on)");
        assertThatThrownBy(() -> ZkEnsemble.builder()
                        .readOnlyMode(true)
                        .serverSetting(2, "localSessionsUpgradingEnabled", "no")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "server setting localSessionsUpgradingEnabled=no for server 2 breaks read-only mode");
    }

    @Test
    void zooKeepersOwnSwitchSetByATestTurnsReadOnlyModeOnAndStaysSet() {
        System.setProperty(JvmGlobals.READ_ONLY_MODE, "true");
        try {
            assertThatThrownBy(() -> ZkEnsemble.builder()
                            .serverSetting("localSessionsEnabled", "false")
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(the system property readonlymode.enabled=true turns read-only mode on)");
            try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
                assertThat(zk.node(1).isServing()).isTrue();
            }
            assertThat(System.getProperty(JvmGlobals.READ_ONLY_MODE)).isEqualTo("true");
        } finally {
            System.clearProperty(JvmGlobals.READ_ONLY_MODE);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
