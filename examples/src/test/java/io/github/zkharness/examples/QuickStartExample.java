package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.curator.ZkCurator;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/** The first example of docs/guide/ensembles-and-nodes.md: start three real servers, crash the leader, and watch a client carry on. */
class QuickStartExample {

    @Test
    void crashTheLeaderAndKeepWriting() throws Exception {
        // spotless:off
        // README:quick-start
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();   // returns once all 3 serve
             CuratorFramework client = ZkCurator.newClient(zk)) {      // started and connected
            client.create().forPath("/config", "v1".getBytes());

            ZkNode old = zk.leader().kill();        // crash: connections reset, no goodbye
            ZkNode next = zk.awaitLeader();         // the two survivors elect a new leader

            client.setData().forPath("/config", "v2".getBytes());   // Curator retries through the failover
            old.restart().awaitServing(Duration.ofSeconds(10));     // same id, ports and data
            assertThat(next.id()).isNotEqualTo(old.id());
            assertThat(new String(client.getData().forPath("/config"))).isEqualTo("v2");
        }                                           // close(): no thread, socket or directory left behind
        // README:end
        // spotless:on
    }
}
