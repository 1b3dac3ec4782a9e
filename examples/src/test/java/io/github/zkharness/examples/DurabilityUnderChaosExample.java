package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.chaos.ChaosKind;
import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.chaos.ChaosSchedule;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.ZooKeeperConsistency;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkRegisterClient;
import io.github.zkharness.junit5.ZkTimelines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;

/**
 * Every write ZooKeeper acknowledged survives crashes and partitions, on every node, with a value it may have ended
 * with: while a seeded chaos schedule kills nodes, isolates the leader and partitions the ensemble, three processes
 * write to five keys and record every call in a {@link History} (OK, FAIL, or UNKNOWN when the connection broke after
 * the request was sent). Once the run is closed (faults healed, nodes restarted, every node serving), each node is read
 * on its own and {@link Durability} holds what it has to the acknowledged writes; {@link ZooKeeperConsistency} checks
 * that the writes were linearizable. {@link ZkTimelines#check} fails the test with the counterexample and the chaos
 * seed, and leaves the timeline under {@code target/zk-harness/timelines/}.
 */
class DurabilityUnderChaosExample {

    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");

    // spotless:off
    // README:chaos
    @Test
    void acknowledgedWritesSurviveChaos(TestInfo test, TestReporter reporter) throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService processes = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            // README:chaos-run
            try (ChaosRun chaos = ChaosSchedule.of(zk).seed(42)
                     .kinds(ChaosKind.KILL, ChaosKind.ISOLATE_LEADER, ChaosKind.PARTITION)
                     .hold(Duration.ofMillis(500), Duration.ofSeconds(2))
                     .history(history)                               // faults and roles go on the timeline
                     .start()) {
                for (int p = 1; p <= 3; p++) {
                    int process = p;
                    done.add(processes.submit(() -> write(zk, history, process, writing)));
                }
                zk.await("6 chaos steps", Duration.ofSeconds(30), () -> chaos.steps().size() >= 6);
                writing.set(false);
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }                                                        // healed, restarted, every node serving
            processes.shutdown();
            // linearizable writes, and every acknowledged write on every node (each read on its own)
            ZkTimelines.check(test, reporter, history, ZooKeeperConsistency.of(), Durability.of(zk, "/register"));
            // README:end
        }
        assertThat(history.operations()).filteredOn(o -> o.outcome() == Outcome.OK).hasSizeGreaterThan(50);
    }

    /** One process: a session on the whole ensemble, writing its own values to five keys in turn, recorded. */
    private static Void write(ZkEnsemble zk, History history, int process, AtomicBoolean writing) throws Exception {
        try (ZooKeeper client = new ZooKeeper(zk.connectString(), 5_000, event -> {})) {
            ZkRegisterClient register = new ZkRegisterClient(client, process, history, "/register");
            for (int i = 0; writing.get(); i++) {
                Operation op = register.write(KEYS.get(i % KEYS.size()), process + "-" + i);
                if (op.outcome() != Outcome.OK) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // no busy loop while nothing serves
                }
            }
        }
        return null;
    }
    // README:end
    // spotless:on
}
