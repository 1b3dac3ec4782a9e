package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkVersion;
import java.nio.charset.StandardCharsets;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A quorum of two ZooKeeper versions for a while, as in the middle of a rolling upgrade: servers 1 and 2 on 3.8.6,
 * server 3 on 3.9.5 (each in a class loader of its own). Whichever version leads, writes reach every server; the
 * version each node runs is in its {@code status()} and in every timeout message.
 */
class MixedVersionQuorumExample {

    @Test
    void aMixedQuorumWorksWithTheLeaderOnEitherVersion() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .version(ZkVersion.of("3.8.6"))
                .version(3, ZkVersion.of("3.9.5"))
                .start()) {
            for (String version : new String[] {"3.9.5", "3.8.6"}) {
                ZkNode leader = leaderOn(zk, version);
                try (ZooKeeper client = zk.newZooKeeper()) { // the move restarted the last leader: a new session
                    client.create(
                            "/written-under-" + version,
                            "x".getBytes(StandardCharsets.UTF_8),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
                }
                assertThat(leader.status().version()).isEqualTo(version);
            }
            for (ZkNode node : zk.nodes()) {
                try (ZooKeeper direct = node.newZooKeeper()) {
                    direct.sync("/", (rc, path, ctx) -> {}, null);
                    zk.await("node " + node.id() + " has both writes", () -> {
                        try {
                            return direct.exists("/written-under-3.9.5", false) != null
                                    && direct.exists("/written-under-3.8.6", false) != null;
                        } catch (Exception e) {
                            return false;
                        }
                    });
                }
            }
        }
    }

    /** Moves the leader to a voter on {@code version}, through ZooKeeper's own election. */
    private static ZkNode leaderOn(ZkEnsemble zk, String version) {
        ZkNode target = zk.voters().stream()
                .filter(n -> n.status().version().equals(version))
                .findFirst()
                .orElseThrow();
        return zk.moveLeader(target);
    }
}
