package io.github.zkharness.curator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

class RecordingMutexTests {

    private static List<String> lockEvents(History history) {
        return history.events().stream()
                .filter(e -> e.kind().startsWith("lock-"))
                .map(e -> e.source() + " " + e.kind())
                .toList();
    }

    @Test
    void recordsAcquireReleaseAndTheNextHolder() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                CuratorFramework one = ZkCurator.newClient(zk);
                CuratorFramework two = ZkCurator.newClient(zk);
                RecordingMutex first = new RecordingMutex(one, "/locks/a", history, 1);
                RecordingMutex second = new RecordingMutex(two, "/locks/a", history, 2)) {
            assertThat(first.acquire(Duration.ofSeconds(10))).isTrue();
            assertThat(first.holds()).isTrue();
            assertThat(second.acquire(Duration.ofMillis(200))).isFalse();
            first.release();
            assertThat(first.holds()).isFalse();
            assertThat(second.acquire(Duration.ofSeconds(10))).isTrue();
            assertThat(second.token().orElseThrow()).isGreaterThan(first.token().orElseThrow()); // fencing tokens
            second.release();
            assertThat(lockEvents(history))
                    .containsExactly(
                            "process-1 lock-acquired",
                            "process-1 lock-released",
                            "process-2 lock-acquired",
                            "process-2 lock-released");
            assertThat(MutualExclusion.of().check(history).isValid()).isTrue();
        }
    }

    @Test
    void aHolderWhoseSessionExpiresRecordsTheLossAndStopsHolding() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                CuratorFramework client = ZkCurator.newClient(zk);
                RecordingMutex mutex = new RecordingMutex(client, "/locks/b", history, 7)) {
            assertThat(mutex.acquire(Duration.ofSeconds(10))).isTrue();
            zk.expireSession(client.getZookeeperClient().getZooKeeper().getSessionId());
            zk.await("the holder to learn it lost the lock", () -> !mutex.holds());
            assertThat(lockEvents(history)).containsExactly("process-7 lock-acquired", "process-7 lock-lost");
            mutex.close(); // nothing held: no release recorded
            assertThat(history.events()).extracting(Event::kind).doesNotContain(History.LOCK_RELEASED);
        }
    }

    @Test
    void nullsAreNamed() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start();
                CuratorFramework client = ZkCurator.newClient(zk)) {
            assertThatThrownBy(() -> new RecordingMutex(client, null, new History(), 1))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("path must not be null");
            try (RecordingMutex mutex = new RecordingMutex(client, "/l", new History(), 1)) {
                assertThatThrownBy(() -> mutex.acquire(null))
                        .isInstanceOf(NullPointerException.class)
                        .hasMessage("timeout must not be null");
            }
        }
    }
}
