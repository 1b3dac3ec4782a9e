package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.testkit.Clients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** Servers outside the configuration, that a test's own {@code reconfig} brings in or takes out. */
class OutsideServerTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The test's own admin client on the leader, a super user as one of the test's own digest would be. */
    private static ZooKeeperAdmin adminOf(ZkEnsemble zk) throws Exception {
        ZkNode leader = zk.awaitLeader();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeperAdmin admin = new ZooKeeperAdmin(leader.connectString(), 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(20, TimeUnit.SECONDS))
                .as("admin client connected")
                .isTrue();
        zk.await(
                "the test's admin session on the leader",
                Duration.ofSeconds(10),
                () -> zk.parts().cluster().server(leader.id()).grantSuperUser(admin.getSessionId()));
        return admin;
    }

    /** What a test writes for {@code reconfig}, from the node's status. */
    private static String spec(ZkNode node, String role) {
        NodeStatus s = node.status();
        return "server." + node.id() + "=127.0.0.1:" + s.quorumPort() + ":" + s.electionPort() + ":" + role
                + ";127.0.0.1:" + s.clientAddress().getPort();
    }

    private static List<Integer> ids(List<ZkNode> nodes) {
        return nodes.stream().map(ZkNode::id).toList();
    }

    private static String config(ZkEnsemble zk) throws Exception {
        try (ZooKeeper client = Clients.connect(zk.connectString())) {
            return new String(client.getConfig(false, null), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anOutsideServerServesWithoutVotingAndJoinsAsAVoterThroughTheTestsReconfig() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode four = zk.addOutsideServer();
            assertThat(four.id()).isEqualTo(4);
            assertThat(four.isServing()).as(four.toString()).isTrue();
            assertThat(four.isVoter()).isFalse();
            assertThat(ids(zk.voters())).containsExactly(1, 2, 3);
            assertThat(ids(zk.observers())).isEmpty();
            assertThat(ids(zk.outsideServers())).containsExactly(4);
            assertThat(config(zk)).doesNotContain("server.4=");

            try (ZooKeeperAdmin admin = adminOf(zk)) {
                admin.reconfigure(spec(four, "participant"), null, null, -1, new Stat());
            }
            zk.await("node 4 a voter", WAIT, () -> ids(zk.voters()).equals(List.of(1, 2, 3, 4)));
            zk.await("node 4 voting", WAIT, () -> four.role() == Role.FOLLOWER || four.role() == Role.LEADER);
            assertThat(zk.outsideServers()).isEmpty();
            assertThat(config(zk))
                    .contains("server.4=127.0.0.1:" + four.status().quorumPort());

            // the quorum is now 3 of 4: with one of the old voters and the new one down, none is left
            ZkNode other = zk.voters().stream()
                    .filter(n -> n.id() != 4 && n.role() != Role.LEADER)
                    .findFirst()
                    .orElseThrow();
            other.stop();
            zk.awaitLeader(WAIT);
            four.kill();
            assertThatThrownBy(() -> zk.awaitLeader(Duration.ofSeconds(2))).isInstanceOf(ZkTimeoutException.class);
            four.restart();
            zk.awaitLeader(WAIT);

            zk.reset();
            assertThat(four.state()).isEqualTo(NodeState.REMOVED);
            assertThat(ids(zk.voters())).containsExactly(1, 2, 3);
            assertThat(zk.outsideServers()).isEmpty();
            assertThat(config(zk)).doesNotContain("server.4=");
        }
    }

    @Test
    void aMemberTheTestsReconfigTakesOutIsOutsideUntilResetPutsItBack() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            assertThatThrownBy(() -> zk.addOutsideServer(2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("server id 2 is taken")
                    .hasMessageContaining("[1, 2, 3]");
            assertThatThrownBy(() -> zk.addOutsideServer(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("server id 0 is out of range")
                    .hasMessageContaining("1 to 255");
            ZkNode three = zk.node(3);
            try (ZooKeeperAdmin admin = adminOf(zk)) {
                admin.reconfigure(null, "3", null, -1, new Stat());
            }
            zk.await("node 3 outside", WAIT, () -> ids(zk.outsideServers()).equals(List.of(3)));
            assertThat(ids(zk.voters())).containsExactly(1, 2);
            zk.awaitServing(WAIT); // node 3 need not serve any longer
            assertThat(config(zk)).doesNotContain("server.3=");
            assertThatThrownBy(() -> zk.addOutsideServer(3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("server id 3 is taken");

            zk.reset();
            assertThat(ids(zk.voters())).containsExactly(1, 2, 3);
            zk.await("node 3 voting again", WAIT, () -> three.isServing() && three.role() != Role.OBSERVER);
            assertThat(config(zk)).contains("server.3=");
        }
    }

    @Test
    void aNewQuorumFromADifferentSetServesAndResetRestoresTheDeclaredOne() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().firstId(4).voters(3).start()) {
            ZkNode seven = zk.addOutsideServer();
            ZkNode nine = zk.addOutsideServer(9);
            assertThat(seven.id()).isEqualTo(7);
            assertThat(ids(zk.outsideServers())).containsExactly(7, 9);
            try (ZooKeeperAdmin admin = adminOf(zk)) {
                admin.reconfigure(
                        null,
                        null,
                        List.of(spec(zk.node(6), "participant"), spec(seven, "participant"), spec(nine, "participant")),
                        -1,
                        new Stat());
            }
            zk.await("voters 6, 7 and 9", WAIT, () -> ids(zk.voters()).equals(List.of(6, 7, 9)));
            assertThat(ids(zk.outsideServers())).containsExactly(4, 5);
            ZkNode leader = zk.awaitLeader(WAIT);
            assertThat(leader.id()).isIn(6, 7, 9);
            try (ZooKeeper client = Clients.connect(zk.connectStringOf(List.of(seven, nine)))) {
                client.create("/written", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }

            zk.reset();
            assertThat(ids(zk.voters())).containsExactly(4, 5, 6);
            assertThat(ids(zk.nodes())).containsExactly(4, 5, 6);
            assertThat(seven.state()).isEqualTo(NodeState.REMOVED);
            assertThat(config(zk)).doesNotContain("server.7=").doesNotContain("server.9=");
        }
    }

    @Test
    void anOutsideServerNeedsARunningEnsembleAndReconfigurationCannotBeTurnedOff() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).build()) {
            assertThatThrownBy(zk::addOutsideServer)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("start() it before you add an outside server")
                    .hasMessageContaining("is new");
        }
        assertThatThrownBy(() -> ZkEnsemble.builder().serverSetting("reconfigEnabled", "false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconfigEnabled")
                .hasMessageContaining("always on");
    }
}
