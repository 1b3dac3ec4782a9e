package io.github.zkharness.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.ZkEnsemble;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A few rounds of {@link LeaderKillStress} in the normal build: kills and restarts leave no node stuck, no dead
 * thread, and no multi-address reachability thread (ZooKeeper's production default has multi-address off).
 */
class LeaderKillTests {

    @Test
    void repeatedLeaderKillsLeaveNoDeadThreadAndNoReachabilityThread() throws Exception {
        LeaderKillStress.Result result = LeaderKillStress.run(5, 3, System.out);
        assertEquals(5, result.roundMillis().size());
        System.out.println(result.line());
    }

    @Test
    void theCheckSeesAnUnnamedReachabilityCheckInAnEnsemble() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            ThreadGroup group = LeaderKillStress.ensembleThreads(zk).get(0).getThreadGroup();
            CountDownLatch release = new CountDownLatch(1);
            Thread unnamed = new Thread(group, () -> asyncValidateIfSocketIsStillReachable(release));
            unnamed.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> unnamed.getState() == Thread.State.WAITING);
            try {
                AssertionError e = assertThrows(AssertionError.class, () -> LeaderKillStress.check(zk, 1));
                assertTrue(e.getMessage().contains(unnamed.getName()), e.getMessage());
            } finally {
                release.countDown();
                unnamed.join(5_000);
            }
        }
    }

    /** Named as ZooKeeper's method, so that its frame looks like a reachability check's. */
    private static void asyncValidateIfSocketIsStillReachable(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
