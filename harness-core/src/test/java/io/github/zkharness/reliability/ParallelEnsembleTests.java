package io.github.zkharness.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.Fault;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkExitRequestedException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.testkit.Bounded;
import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Four ensembles at once, each starting, taking a write, being faulted and healed, and closing, round after
 * round: no port conflict (not even one the harness retried quietly), no failed start, no exit request, no
 * harness call that hangs.
 *
 * <p>The normal build runs 15 rounds; {@code -Dzk.parallel.rounds=50} (or {@code -Dzk.reliability.long=true})
 * runs the full 50:
 * {@code ./mvnw -B -pl harness-core -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ParallelEnsembleTests
 * -Dzk.parallel.rounds=50}.
 */
class ParallelEnsembleTests {

    private static final int PARALLEL = 4;

    @Test
    void fourEnsemblesStartFaultAndCloseConcurrentlyWithoutConflicts() throws Exception {
        int rounds = LongRun.parallelRounds();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger startFailures = new AtomicInteger();
        AtomicInteger exitRequests = new AtomicInteger();
        long began = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(PARALLEL, r -> new Thread(r, "zk-parallel-worker"));
        try (HarnessLogWatch watch = new HarnessLogWatch();
                Bounded bounded = new Bounded()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < PARALLEL; w++) {
                int worker = w;
                done.add(workers.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        String where = "worker " + worker + " round " + round;
                        ZkEnsemble zk;
                        try {
                            zk = bounded.call(
                                    where + ": ZkEnsemble.builder().voters(3).start()",
                                    Duration.ofSeconds(120),
                                    () -> ZkEnsemble.builder()
                                            .voters(3)
                                            .startTimeout(Duration.ofSeconds(60))
                                            .start());
                            started.incrementAndGet();
                        } catch (ZkStartException e) {
                            startFailures.incrementAndGet();
                            failures.add(where + ": start failed: " + e.getMessage());
                            continue;
                        }
                        try {
                            exercise(zk, bounded, (worker + round) % 3, where);
                        } catch (Bounded.HungCall e) {
                            failures.add(e.getMessage());
                            return null;
                        } catch (Exception | AssertionError e) {
                            failures.add(where + ": " + e);
                        } finally {
                            try {
                                bounded.run(where + ": zk.close()", Duration.ofSeconds(90), zk::close);
                                closed.incrementAndGet();
                            } catch (ZkExitRequestedException e) {
                                exitRequests.incrementAndGet();
                                failures.add(where + ": close() reported an exit request: " + e.getMessage());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(rounds * 3L + 5, TimeUnit.MINUTES);
            }
            String figures = String.format(
                    Locale.ROOT,
                    "%d ensembles x %d rounds in %.1f s: %d started, %d closed,"
                            + " %d start failures, %d port conflicts (retried or not), %d exit requests; %d harness calls, %d hung",
                    PARALLEL,
                    rounds,
                    (System.nanoTime() - began) / 1e9,
                    started.get(),
                    closed.get(),
                    startFailures.get(),
                    watch.portConflicts().size(),
                    exitRequests.get() + watch.exitRequests().size(),
                    bounded.callCount(),
                    bounded.hungCalls().size());
            System.out.println("[parallel] " + figures);
            if (!watch.portConflicts().isEmpty()) {
                failures.add("port conflicts: " + watch.portConflicts());
            }
            if (!watch.exitRequests().isEmpty()) {
                failures.add("exit requests: " + watch.exitRequests());
            }
            if (!failures.isEmpty()) {
                fail(figures + "\n  " + failures.stream().limit(30).collect(Collectors.joining("\n  ")));
            }
            assertEquals(PARALLEL * rounds, started.get(), figures);
            assertEquals(PARALLEL * rounds, closed.get(), figures);
        } finally {
            workers.shutdownNow();
        }
        assertEquals(List.of(), JvmGlobals.unattributedExitRequests());
    }

    /** One write, then one of three faults, healed, and the ensemble serving again. */
    private static void exercise(ZkEnsemble zk, Bounded bounded, int which, String where) throws Exception {
        try (ZooKeeper client = Clients.connect(
                bounded.call(where + ": zk.connectString()", Duration.ofSeconds(5), zk::connectString), 4000)) {
            client.create(
                    "/parallel",
                    where.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
        }
        Duration wait = Duration.ofSeconds(30);
        Duration bound = wait.plusSeconds(15);
        switch (which) {
            case 0 -> {
                ZkNode old = bounded.call(where + ": zk.leader()", Duration.ofSeconds(5), zk::leader);
                Fault f = bounded.call(
                        where + ": network().isolateLeader()",
                        Duration.ofSeconds(15),
                        () -> zk.network().isolateLeader());
                bounded.run(where + ": old leader awaitRole(LOOKING)", bound, () -> old.awaitRole(Role.LOOKING, wait));
                bounded.call(where + ": zk.awaitLeader()", bound, () -> zk.awaitLeader(wait));
                bounded.run(where + ": fault.heal()", Duration.ofSeconds(15), f::heal);
            }
            case 1 -> {
                ZkNode follower = bounded.call(where + ": zk.followers()", Duration.ofSeconds(5), zk::followers)
                        .get(0);
                bounded.run(where + ": follower.kill()", Duration.ofSeconds(45), follower::kill);
                bounded.run(where + ": follower.restart()", Duration.ofSeconds(75), follower::restart);
            }
            default -> {
                Fault f = bounded.call(
                        where + ": network().partition(1 | 2,3)",
                        Duration.ofSeconds(15),
                        () -> zk.network().partition(List.of(zk.node(1)), List.of(zk.node(2), zk.node(3))));
                bounded.call(where + ": zk.awaitLeader()", bound, () -> zk.awaitLeader(wait));
                bounded.run(
                        where + ": network().healAll()",
                        Duration.ofSeconds(15),
                        () -> zk.network().healAll());
                f.heal();
            }
        }
        bounded.run(where + ": zk.awaitServing()", bound, () -> zk.awaitServing(wait));
    }
}
