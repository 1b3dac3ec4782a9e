package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.chaos.ChaosSchedule;
import io.github.zkharness.curator.RecordingLeaderLatch;
import io.github.zkharness.curator.RecordingLeaderSelector;
import io.github.zkharness.curator.RecordingMutex;
import io.github.zkharness.curator.RecordingSemaphoreMutex;
import io.github.zkharness.history.History;
import io.github.zkharness.history.ZkRegisterClient;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import org.apache.curator.utils.CloseableUtils;
import org.junit.jupiter.api.Test;

/** Every handle that closes is a {@link Closeable}, so Curator's and Commons' idioms take it; closing twice is harmless. */
class CloseableHandlesTests {

    @Test
    void everyClosingHandleIsACloseable() {
        for (Class<?> type : List.of(
                ZkEnsemble.class,
                ZkEnsemble.FaultRecording.class,
                Fault.class,
                ChaosRun.class,
                ZkRegisterClient.class,
                RecordingMutex.class,
                RecordingSemaphoreMutex.class,
                RecordingLeaderLatch.class,
                RecordingLeaderSelector.class)) {
            assertThat(Closeable.class).as(type.getSimpleName()).isAssignableFrom(type);
        }
    }

    @Test
    void curatorsCloseQuietlyClosesAnEnsembleAndItsHandlesTwiceOver() {
        ZkEnsemble zk = ZkEnsemble.builder().voters(1).start();
        ZkEnsemble.FaultRecording recording = zk.recordFaults(new History(), "test");
        Fault fault = zk.network().cutClients(zk.node(1));
        ChaosRun run = ChaosSchedule.of(zk)
                .seed(3)
                .hold(Duration.ofMillis(10), Duration.ofMillis(20))
                .pause(Duration.ofMillis(10), Duration.ofMillis(20))
                .start();

        CloseableUtils.closeQuietly(fault);
        CloseableUtils.closeQuietly(fault);
        CloseableUtils.closeQuietly(run);
        CloseableUtils.closeQuietly(run);
        CloseableUtils.closeQuietly(recording);
        CloseableUtils.closeQuietly(recording);
        assertThat(zk.network().faults()).isEmpty();

        CloseableUtils.closeQuietly(zk);
        assertThat(zk.isClosed()).isTrue();
        CloseableUtils.closeQuietly(zk); // idempotent: nothing thrown, nothing logged as a failure
        assertThat(zk.isClosed()).isTrue();
    }
}
