package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.MultiModel;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkMultiClient;
import io.github.zkharness.junit5.ZkCluster;
import io.github.zkharness.junit5.ZkTimelines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * ZooKeeper's {@code multi()} is a transaction: all its operations take effect or none does, and no read sees some of
 * them without the others. Here two processes write three keys at once, each multi giving every key the same new
 * value, while a third reads all three at once (a read-only multi after a {@code sync}), and the leader is killed
 * meanwhile. {@link ZkMultiClient} records every multi; {@link MultiModel} with {@link Linearizability} checks that
 * the history is that of one atomic group of keys. A multi cut off by the failover is UNKNOWN: it may have happened
 * (entirely) or not at all, and either way no read saw half of it.
 */
@ZkCluster(nodes = 3)
class MultiAtomicityExample {

    private static final String GROUP = "/accounts";
    private static final List<String> KEYS = List.of("a", "b", "c");

    @Test
    void multisStayAllOrNothingAcrossALeaderKill(ZkEnsemble zk, TestInfo test, TestReporter reporter) throws Exception {
        History history = new History();
        try (ZooKeeper setup = zk.newZooKeeper()) {
            ZkMultiClient.createKeys(setup, GROUP, KEYS, "0");
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService processes = Executors.newFixedThreadPool(3);
        try (ZkEnsemble.FaultRecording faults = zk.recordFaults(history, "test")) {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                int process = p;
                done.add(processes.submit(() -> work(zk, history, process, running)));
            }
            zk.await("20 reads before the kill", Duration.ofSeconds(30), () -> okReads(history) >= 20);
            ZkNode old = zk.leader().kill();
            int before = okReads(history);
            zk.await("20 reads after the kill", Duration.ofSeconds(30), () -> okReads(history) >= before + 20);
            old.restart().awaitServing(Duration.ofSeconds(30));
            running.set(false);
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            processes.shutdownNow();
        }

        ZkTimelines.check(
                test,
                reporter,
                history,
                Linearizability.of(MultiModel.startingWith("0")).named("multi-atomicity"));
        // the same promise in plain words: every read saw one value on every key
        assertThat(history.operations())
                .filteredOn(o -> o.kind().equals(ZkMultiClient.MULTI_READ) && o.outcome() == Outcome.OK)
                .allSatisfy(read -> assertThat(new HashSet<>(
                                ZkMultiClient.decode(read.result()).values()))
                        .hasSize(1));
    }

    /** Processes 1 and 2 write all keys at once; process 3 reads them all at once. */
    private static Void work(ZkEnsemble zk, History history, int process, AtomicBoolean running) throws Exception {
        try (ZooKeeper client = zk.newZooKeeper()) {
            ZkMultiClient group = new ZkMultiClient(client, process, history, GROUP);
            for (int i = 1; running.get(); i++) {
                Operation op;
                if (process == 3) {
                    op = group.read(KEYS);
                } else {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (String key : KEYS) {
                        values.put(key, process + "-" + i);
                    }
                    op = group.write(values);
                }
                if (op.outcome() != Outcome.OK) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // no busy loop while nothing serves
                }
            }
        }
        return null;
    }

    private static int okReads(History history) {
        return (int) history.operations().stream()
                .filter(o -> o.kind().equals(ZkMultiClient.MULTI_READ) && o.outcome() == Outcome.OK)
                .count();
    }
}
