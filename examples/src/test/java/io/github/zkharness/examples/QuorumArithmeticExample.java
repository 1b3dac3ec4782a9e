package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * To survive F failures an ensemble needs 2F+1 voters: it serves only while a strict majority of all its voters
 * run, counted against the configured size, not against the nodes still up. So 3 voters survive 1 failure and 5
 * survive 2, while a 4th voter buys nothing: 4 voters also survive only 1, because 2 of 4 is not a majority.
 * Without a majority the survivors keep running but serve nothing at all, reads included.
 */
class QuorumArithmeticExample {

    @ParameterizedTest(name = "{0} voters, {1} down: writes accepted = {2}")
    @CsvSource({
        "3, 1, true", "3, 2, false",
        "4, 1, true", "4, 2, false",
        "5, 2, true", "5, 3, false"
    })
    void aMajorityOfAllVotersMustRun(int voters, int down, boolean writesAccepted) {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(voters).start()) {
            for (int id = voters; id > voters - down; id--) {
                zk.node(id).kill(); // from the top: the leader (usually the highest id) goes too
            }
            ZkNode survivor = zk.node(1);
            if (writesAccepted) {
                zk.awaitLeader(); // the survivors are a majority: they elect a leader
                await().atMost(Duration.ofSeconds(20)).until(() -> acceptsWrite(survivor));
            } else {
                survivor.awaitRole(Role.LOOKING, Duration.ofSeconds(10)); // running, but looking for a quorum
                await().during(Duration.ofMillis(500))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> zk.findLeader().isEmpty()); // ... and it stays that way
                assertThat(survivor.fourLetterWord("srvr")) // no reads, no writes
                        .contains("This ZooKeeper instance is not currently serving requests");
            }
        }
    }

    /** Whether {@code node} takes a write now: one attempt of a client of that server alone. */
    private static boolean acceptsWrite(ZkNode node) {
        try (CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(node.connectString())
                .ensembleTracker(false)
                .connectionTimeoutMs(1_000)
                .retryPolicy(new RetryOneTime(100))
                .build()) {
            client.start();
            client.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath("/write-");
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
