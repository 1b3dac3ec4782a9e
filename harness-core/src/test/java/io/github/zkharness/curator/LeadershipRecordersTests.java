package io.github.zkharness.curator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.check.Fencing;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.junit.jupiter.api.Test;

/** RecordingSemaphoreMutex, RecordingLeaderLatch and RecordingLeaderSelector on a real ensemble. */
class LeadershipRecordersTests {

    private static List<String> lockEvents(History history) {
        return history.events().stream()
                .filter(e -> e.kind().startsWith("lock-"))
                .map(e -> e.source() + " " + e.kind())
                .toList();
    }

    @Test
    void theSemaphoreMutexRecordsHoldersInTurnAndTheLossOfAnExpiredOne() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                CuratorFramework one = ZkCurator.newClient(zk);
                CuratorFramework two = ZkCurator.newClient(zk);
                RecordingSemaphoreMutex first = new RecordingSemaphoreMutex(one, "/locks/s", history, 1);
                RecordingSemaphoreMutex second = new RecordingSemaphoreMutex(two, "/locks/s", history, 2)) {
            assertThat(first.acquire(Duration.ofSeconds(10))).isTrue();
            assertThat(second.acquire(Duration.ofMillis(200))).isFalse();
            first.release();
            assertThat(second.acquire(Duration.ofSeconds(10))).isTrue();
            zk.expireSession(two.getZookeeperClient().getZooKeeper().getSessionId());
            zk.await("process 2 to learn it lost the lock", () -> !second.holds());
            assertThat(lockEvents(history))
                    .containsExactly(
                            "process-1 lock-acquired",
                            "process-1 lock-released",
                            "process-2 lock-acquired",
                            "process-2 lock-lost");
            assertThat(MutualExclusion.of().check(history).isValid()).isTrue();
        }
    }

    @Test
    void theLatchRecordsItsLeaderWithATokenAndHandsOverOnClose() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                CuratorFramework one = ZkCurator.newClient(zk);
                CuratorFramework two = ZkCurator.newClient(zk);
                RecordingLeaderLatch first = new RecordingLeaderLatch(one, "/election", history, 1);
                RecordingLeaderLatch second = new RecordingLeaderLatch(two, "/election", history, 2)) {
            first.start();
            zk.await("process 1 to lead", first::holds);
            second.start();
            zk.await("process 2 to be in line", () -> second.latch().getOurPath() != null);
            assertThat(second.holds()).isFalse();
            long firstToken = first.token().orElseThrow();
            first.close();
            zk.await("process 2 to lead after process 1 left", second::holds);
            assertThat(second.token().orElseThrow()).isGreaterThan(firstToken);
            zk.expireSession(two.getZookeeperClient().getZooKeeper().getSessionId());
            zk.await("process 2 to learn it lost leadership", () -> !second.holds());
            assertThat(lockEvents(history))
                    .containsExactly(
                            "process-1 lock-acquired",
                            "process-1 lock-released",
                            "process-2 lock-acquired",
                            "process-2 lock-lost");
            assertThat(history.events())
                    .filteredOn(e -> e.kind().equals(Fencing.TOKEN))
                    .hasSize(2);
            assertThat(MutualExclusion.of().check(history).isValid()).isTrue();
            assertThat(Fencing.of().check(history).isValid()).isTrue();
        }
    }

    @Test
    void theSelectorRecordsTakeLeadershipFromStartToReturnAndTheLossOnExpiry() throws Exception {
        History history = new History();
        CountDownLatch firstMayReturn = new CountDownLatch(1);
        CountDownLatch secondLeads = new CountDownLatch(1);
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                CuratorFramework one = ZkCurator.newClient(zk);
                CuratorFramework two = ZkCurator.newClient(zk);
                RecordingLeaderSelector first =
                        new RecordingLeaderSelector(one, "/selector", history, 1, new LeaderSelectorListenerAdapter() {
                            @Override
                            public void takeLeadership(CuratorFramework client) throws Exception {
                                firstMayReturn.await(30, TimeUnit.SECONDS);
                            }
                        });
                RecordingLeaderSelector second =
                        new RecordingLeaderSelector(two, "/selector", history, 2, new LeaderSelectorListenerAdapter() {
                            @Override
                            public void takeLeadership(CuratorFramework client) throws Exception {
                                secondLeads.countDown();
                                Thread.currentThread().join(); // leads until cancelled
                            }
                        })) {
            first.start();
            zk.await("process 1 to lead", first::holds);
            second.start();
            assertThat(second.holds()).isFalse();
            firstMayReturn.countDown();
            assertThat(secondLeads.await(10, TimeUnit.SECONDS))
                    .as("process 2 leads once process 1's takeLeadership returned")
                    .isTrue();
            zk.await("process 1's end to be recorded", () -> !first.holds());
            zk.expireSession(two.getZookeeperClient().getZooKeeper().getSessionId());
            zk.await("process 2 to learn it lost leadership", () -> !second.holds());
            assertThat(lockEvents(history))
                    .containsExactly(
                            "process-1 lock-acquired",
                            "process-1 lock-released",
                            "process-2 lock-acquired",
                            "process-2 lock-lost");
            assertThat(MutualExclusion.of().check(history).isValid()).isTrue();
        }
    }

    @Test
    void nullsAreNamed() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start();
                CuratorFramework client = ZkCurator.newClient(zk)) {
            assertThatThrownBy(() -> new RecordingLeaderLatch(client, "/e", null, 1))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("history must not be null");
            assertThatThrownBy(() -> new RecordingLeaderSelector(client, "/e", new History(), 1, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("listener must not be null");
            assertThatThrownBy(() -> new RecordingSemaphoreMutex(null, "/e", new History(), 1))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("client must not be null");
        }
    }
}
