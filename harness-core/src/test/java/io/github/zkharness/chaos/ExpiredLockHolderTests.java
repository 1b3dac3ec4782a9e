package io.github.zkharness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A lock that never checks its session (an ephemeral znode, given up only when its client is told Expired) under a
 * seeded chaos run that expires the holder's session: a second process takes the lock at once, the first hears of its
 * expiry later. MutualExclusion names the expiry as the cause and says that a lock needs fencing.
 */
class ExpiredLockHolderTests {

    @Test
    void theExpiryIsNamedForAnOverlapThatBeginsAfterTheExpiryCallReturned() throws Exception {
        History history = new History();
        AtomicLong holderSession = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ExecutorService processes = Executors.newFixedThreadPool(2);
            List<Future<?>> done = new ArrayList<>();
            try (ChaosRun chaos = ChaosSchedule.of(zk)
                    .seed(20261206)
                    .kinds(ChaosKind.EXPIRE_SESSION)
                    .pause(Duration.ofMillis(800), Duration.ofMillis(1200))
                    .sessions(() -> holderSession.get() == 0 ? List.of() : List.of(holderSession.get()))
                    .history(history)
                    .start()) {
                for (int p = 1; p <= 2; p++) {
                    int process = p;
                    done.add(processes.submit(() -> contend(zk, history, process, holderSession, running)));
                }
                zk.await(
                        "two expiries done",
                        Duration.ofSeconds(30),
                        () -> chaos.steps().stream()
                                        .filter(s -> s.status() == ChaosStep.Status.DONE)
                                        .count()
                                >= 2);
                running.set(false);
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
            processes.shutdown();
        }
        CheckResult r = MutualExclusion.of().check(history);
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation())
                .as(r.explanation())
                .containsPattern("expire session 0x[0-9a-f]+ \\(from [0-9.]+ ms, action ended [0-9.]+ ms")
                .contains("a lock holder that learned of its expired session late")
                .contains("a lock needs fencing")
                .doesNotContain("No fault was in force");
    }

    /** One process: takes the lock when it can and holds it until its client is told its session expired. */
    private static Void contend(
            ZkEnsemble zk, History history, int process, AtomicLong holderSession, AtomicBoolean running)
            throws Exception {
        while (running.get()) {
            AtomicBoolean expired = new AtomicBoolean();
            try (ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, e -> {
                if (e.getState() == KeeperState.Expired) {
                    expired.set(true);
                }
            })) {
                boolean holding = false;
                while (running.get() && !expired.get()) {
                    if (!holding) {
                        try {
                            client.create("/lock", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                            holding = true;
                            holderSession.set(client.getSessionId());
                            history.acquired(process, "lock");
                        } catch (KeeperException.NodeExistsException | KeeperException.ConnectionLossException e) {
                            // held by the other process, or not connected yet: look again
                        } catch (KeeperException.SessionExpiredException e) {
                            expired.set(true);
                        }
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                if (holding) {
                    history.lost(process, "lock"); // it never checked its session: it learns only now
                }
            }
        }
        return null;
    }
}
