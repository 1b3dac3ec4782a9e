package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.junit5.ZkCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;

/**
 * A ZooKeeper lock is held by a session, not by a process: when the holder's session expires, ZooKeeper deletes
 * its lock node and the next process in line gets the lock, whatever the old holder believes. Curator's
 * {@code InterProcessMutex} still reports itself acquired; the old holder learns it lost the lock only through
 * its {@code ConnectionStateListener}, which sees {@code LOST}, and must stop working on the locked resource then.
 */
@ZkCluster(nodes = 3)
class LockLostOnSessionExpiryExample {

    @Test
    void anExpiredHolderLosesTheLockToTheNextProcess(
            ZkEnsemble zk, CuratorFramework processA, CuratorFramework processB) throws Exception {
        List<ConnectionState> seenByA = new CopyOnWriteArrayList<>();
        processA.getConnectionStateListenable().addListener((client, state) -> seenByA.add(state));
        InterProcessMutex lockOfA = new InterProcessMutex(processA, "/locks/orders");
        InterProcessMutex lockOfB = new InterProcessMutex(processB, "/locks/orders");

        assertThat(lockOfA.acquire(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> bAcquires = CompletableFuture.supplyAsync(() -> {
            try {
                return lockOfB.acquire(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> lockOfA.getParticipantNodes().size() == 2);
        assertThat(bAcquires).isNotDone(); // B's node is in line, after A's

        long sessionOfA = processA.getZookeeperClient().getZooKeeper().getSessionId();
        zk.expireSession(sessionOfA); // as if A had been silent for its whole timeout

        assertThat(bAcquires.get(20, TimeUnit.SECONDS)).isTrue(); // ZooKeeper deleted A's lock node: B's turn
        await().atMost(Duration.ofSeconds(10)).until(() -> seenByA.contains(ConnectionState.LOST));
        assertThat(lockOfA.isAcquiredInThisProcess()).isTrue(); // A's mutex does not know; only LOST tells
    }
}
