package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Quorum SASL: the servers authenticate each other (DIGEST-MD5) on every election and learner connection. A server
 * restarted with the wrong quorum credentials (a rotation of the quorum password that missed one server's
 * {@code QuorumLearner} section) is refused by every peer: it stays {@code LOOKING}, serves no client, and the others
 * keep a quorum. With the right password it rejoins at its next start and catches up.
 */
class QuorumSaslExample {

    @Test
    void aServerWithTheWrongQuorumPasswordStaysOutUntilItIsFixed() throws Exception {
        // README:quorum-sasl
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).quorumSasl(true).start()) {
            ZkNode missed = zk.followers().get(0);
            zk.replaceQuorumPassword(missed, "the-old-password");
            missed.kill().restart(); // ZooKeeper reads the password when the server starts
            // README:end
            List<ZkNode> others = zk.nodes().stream().filter(n -> n != missed).toList();
            try (ZooKeeper client = zk.newZooKeeper(zk.connectStringOf(others))) {
                client.create(
                        "/written-without-it",
                        "x".getBytes(StandardCharsets.UTF_8),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
            await("node " + missed.id() + " kept out of the quorum")
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> missed.status().role() == Role.LOOKING);

            zk.replaceQuorumPassword(missed, zk.quorumPassword()); // the fix reaches that server too
            missed.kill().restart().awaitServing();
            try (ZooKeeper client = zk.newZooKeeper(zk.connectStringOf(List.of(missed)))) {
                client.sync("/", (rc, path, ctx) -> {}, null);
                assertThat(client.exists("/written-without-it", false)).isNotNull();
            }
        }
    }
}
