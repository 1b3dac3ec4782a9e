package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.SequentialNumbering;
import io.github.zkharness.check.SequentialZnodeModel;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkSequentialClient;
import io.github.zkharness.junit5.ZkCluster;
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
 * Queues, locks and leader elections built on ZooKeeper rely on sequential znodes: every child created with a
 * {@code SEQUENTIAL} mode under one parent gets a number that no other child of that parent got, and a create that
 * completed before another began got the smaller one. Here three processes append to one queue while the leader is
 * killed; {@link ZkSequentialClient} records every create (a create cut off by the failover is UNKNOWN: it may have
 * taken a number nobody saw), and {@link SequentialNumbering} checks the promise over the whole history, as does
 * {@link Linearizability} with {@link SequentialZnodeModel}.
 */
@ZkCluster(nodes = 3)
class SequentialZnodeExample {

    private static final String QUEUE = "/queue";

    @Test
    void sequenceNumbersStayUniqueAndIncreasingAcrossALeaderKill(ZkEnsemble zk, TestInfo test, TestReporter reporter)
            throws Exception {
        History history = new History();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService processes = Executors.newFixedThreadPool(3);
        try (ZkEnsemble.FaultRecording faults = zk.recordFaults(history, "test")) {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                int process = p;
                done.add(processes.submit(() -> append(zk, history, process, running)));
            }
            zk.await("30 creates before the kill", Duration.ofSeconds(30), () -> okCreates(history) >= 30);
            ZkNode old = zk.leader().kill(); // its clients reconnect elsewhere; creates in flight are unknown
            int beforeRestart = okCreates(history);
            zk.await(
                    "30 creates after the kill",
                    Duration.ofSeconds(30),
                    () -> okCreates(history) >= beforeRestart + 30);
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
                SequentialNumbering.of(),
                Linearizability.of(new SequentialZnodeModel()).named("sequential-znodes"));
        assertThat(history.events()).anyMatch(e -> e.kind().equals(History.FAULT_START));
    }

    /** One process: its own session, appending to the queue until told to stop. */
    private static Void append(ZkEnsemble zk, History history, int process, AtomicBoolean running) throws Exception {
        try (ZooKeeper client = zk.newZooKeeper()) {
            ZkSequentialClient queue = new ZkSequentialClient(client, process, history);
            while (running.get()) {
                Operation op = queue.create(QUEUE, "item-");
                if (op.outcome() != Outcome.OK) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // no busy loop while nothing serves
                }
            }
        }
        return null;
    }

    private static int okCreates(History history) {
        return (int) history.operations().stream()
                .filter(o -> o.outcome() == Outcome.OK)
                .count();
    }
}
