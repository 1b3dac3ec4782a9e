package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.Fault;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;

/**
 * A leader cut off from its followers stops leading within syncLimit x tickTime; the majority elects a new
 * one and keeps accepting writes; after the network heals, the old leader rejoins as a follower.
 */
class IsolatedLeaderExample {

    @Test
    void theMajorityCarriesOnWithoutAnIsolatedLeader() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                CuratorFramework client =
                        CuratorFrameworkFactory.newClient(zk.connectString(), new ExponentialBackoffRetry(100, 10))) {
            client.start();
            // spotless:off
            // README:faults
            ZkNode old = zk.leader();
            try (Fault cutOff = zk.network().isolateLeader()) {     // connections reset and refused
                old.awaitRole(Role.LOOKING, Duration.ofSeconds(5));  // it gives up leading
                ZkNode next = zk.awaitLeader();                      // the other two elect a new one
                client.create().forPath("/written-by-the-majority");
            }                                                        // heal: the old leader rejoins
            zk.awaitServing();
            // README:end
            // spotless:on
            assertThat(old.role()).isEqualTo(Role.FOLLOWER);
            assertThat(client.checkExists().forPath("/written-by-the-majority")).isNotNull();
        }
    }
}
