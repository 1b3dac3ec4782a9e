package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import io.github.zkharness.junit5.ZkLeader;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The JUnit 5 door: one ensemble for the class, reset between tests (faults healed, nodes back, data gone),
 * clients injected and closed for you.
 */
// spotless:off
// README:junit5
@ZkCluster(nodes = 3)
class JUnitExtensionExample {

    @Test
    void aClientAndTheLeaderAreInjected(ZooKeeper client, @ZkLeader ZkNode leader) throws Exception {
        client.create("/orders", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(leader.role()).isEqualTo(Role.LEADER);
        leader.kill();                      // the next test gets all three nodes back
    }

    @Test
    void everyTestStartsClean(CuratorFramework curator, ZkEnsemble ensemble) throws Exception {
        assertThat(curator.checkExists().forPath("/orders")).isNull();
        assertThat(ensemble.nodes()).allMatch(ZkNode::isServing);
    }
}
// README:end
// spotless:on
