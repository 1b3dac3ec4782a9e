package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkVersion;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.Linearizability;
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
 * A rolling upgrade from ZooKeeper 3.8.6 to 3.9.5 under load, one {@link ZkNode#upgrade(ZkVersion)} per node, the
 * leader last: each step stops the node and starts it on the new version with the same myid, dataDir and
 * dataLogDir. Three processes write and read five keys all along (each read after a {@code sync}: a plain read through
 * a follower may be stale, which ZooKeeper allows), recorded in a {@link History} (with the upgrade
 * steps: {@code recordFaults}); at the end every write ZooKeeper acknowledged is on every node
 * ({@link Durability}) and the history is linearizable ({@link Linearizability}). The versions come from the local
 * Maven repository ({@code mvn dependency:get -Dartifact=org.apache.zookeeper:zookeeper:3.8.6} fetches one).
 */
class RollingUpgradeExample {

    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");

    // spotless:off
    @Test
    void upgradeEveryVoterOneByOneLeaderLast(TestInfo test, TestReporter reporter) throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).version(ZkVersion.of("3.8.6")).start();
             ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "upgrade")) {
            AtomicBoolean working = new AtomicBoolean(true);
            ExecutorService processes = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                int process = p;
                done.add(processes.submit(() -> work(zk, history, process, working)));
            }
            List<ZkNode> order = new ArrayList<>(zk.followers());
            order.add(zk.leader());                                  // the leader last
            for (ZkNode node : order) {
                node.upgrade(ZkVersion.of("3.9.5")).awaitServing();  // same myid, dataDir, dataLogDir
                zk.awaitServing();
                int before = history.operations().size();
                zk.await("the mixed ensemble keeps working", Duration.ofSeconds(30),
                        () -> history.operations().size() >= before + 20);
            }
            working.set(false);
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            processes.shutdown();
            assertThat(zk.status()).allMatch(node -> node.version().equals("3.9.5"));
            ZkTimelines.check(test, reporter, history, Linearizability.register(), Durability.of(zk, "/register"));
        }
    }

    /** One process: a session on the whole ensemble, writing and reading its own values, recorded. */
    private static Void work(ZkEnsemble zk, History history, int process, AtomicBoolean working) throws Exception {
        try (ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, event -> {})) {
            ZkRegisterClient register = new ZkRegisterClient(client, process, history, "/register");
            for (int i = 0; working.get(); i++) {
                String key = KEYS.get(i % KEYS.size());
                Operation op = i % 3 == 2 ? register.read(key, true) : register.write(key, process + "-" + i);
                if (op.outcome() != Outcome.OK) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // no busy loop while nothing serves
                }
            }
        }
        return null;
    }
    // spotless:on
}
