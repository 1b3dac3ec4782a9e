package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** {@link ZkEnsemble#rollingRestart()}: every running node once, the leader last, the data kept. */
class RollingRestartTests {

    @Test
    void everyRunningNodeIsStoppedAndStartedOnceTheLeaderLastAndTheDataStays() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start();
                ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "test")) {
            try (ZooKeeper client = zk.newZooKeeper()) {
                client.create(
                        "/kept",
                        "v".getBytes(StandardCharsets.UTF_8),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
            int leader = zk.leader().id();
            long epoch = zk.leader().status().epoch();

            assertThat(zk.rollingRestart()).isSameAs(zk);

            List<String> stops = history.events().stream()
                    .filter(e -> e.kind().equals(History.FAULT_START))
                    .map(Event::description)
                    .toList();
            assertThat(stops).hasSize(4).doesNotHaveDuplicates().allMatch(d -> d.startsWith("stop node "));
            assertThat(stops.get(3)).isEqualTo("stop node " + leader);
            assertThat(zk.nodes()).allMatch(ZkNode::isServing);
            assertThat(zk.leader().status().epoch())
                    .as("the leader's restart made a new epoch")
                    .isGreaterThan(epoch);
            for (ZkNode node : zk.nodes()) {
                try (ZooKeeper client = node.newZooKeeper()) {
                    assertThat(new String(client.getData("/kept", false, null), StandardCharsets.UTF_8))
                            .as("node " + node.id())
                            .isEqualTo("v");
                }
            }
        }
    }

    @Test
    void aNodeTheTestStoppedStaysDownAndABadTimeoutOrAStoppedEnsembleIsRefused() {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode follower = zk.followers().get(0).stop();
            try (ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "test")) {
                zk.rollingRestart(Duration.ofSeconds(30));
            }
            assertThat(follower.state()).isEqualTo(NodeState.STOPPED);
            assertThat(history.events())
                    .filteredOn(e -> e.kind().equals(History.FAULT_START))
                    .extracting(Event::description)
                    .hasSize(2)
                    .doesNotContain("stop node " + follower.id());

            assertThatThrownBy(() -> zk.rollingRestart(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeoutPerNode");
            assertThatThrownBy(() -> zk.rollingRestart(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("timeoutPerNode must not be null");
            zk.stop();
            assertThatThrownBy(zk::rollingRestart)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("start() it before you restart its nodes one by one");
        }
    }
}
