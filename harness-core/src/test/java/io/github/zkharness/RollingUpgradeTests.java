package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Checks;
import io.github.zkharness.check.Convergence;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkRegisterClient;
import io.github.zkharness.testkit.Clients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Rolling upgrades as {@link ZkNode#upgrade(ZkVersion)} makes them: each node stopped and started again on the other
 * version with the same id and directories, under a recorded workload of several clients.
 */
class RollingUpgradeTests {

    static final ZkVersion V386 = ZkVersion.of("3.8.6");
    static final ZkVersion V395 = ZkVersion.of("3.9.5");
    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");

    @Test
    void threeVotersUpgradedOneByOneLeaderLastKeepEveryAcknowledgedWriteAndOneTree() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).version(V386).start();
                ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "test")) {
            for (ZkNode node : zk.nodes()) {
                assertThat(node.status().version()).isEqualTo("3.8.6");
                assertThat(node.fourLetterWord("srvr")).contains("Zookeeper version: 3.8.6");
            }
            ZkNode leader = zk.leader();
            List<ZkNode> order = new ArrayList<>(zk.followers());
            order.add(leader); // the leader last
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService processes = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                int process = p;
                done.add(processes.submit(() -> work(zk, history, process, writing)));
            }
            try {
                awaitMoreOk(zk, history, 30);
                for (ZkNode node : order) {
                    node.upgrade(V395).awaitServing();
                    zk.awaitServing();
                    assertThat(node.status().version()).isEqualTo("3.9.5");
                    assertThat(node.fourLetterWord("srvr")).contains("Zookeeper version: 3.9.5");
                    awaitMoreOk(zk, history, 30); // the mixed ensemble takes writes
                }
            } finally {
                writing.set(false);
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
                processes.shutdown();
            }
            zk.awaitServing();
            // reads follow a sync: a plain read through a follower may be stale, which ZooKeeper allows
            CheckResult result = Checks.all(
                            Linearizability.register(), Durability.of(zk, "/register"), Convergence.of(zk))
                    .check(history);
            assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
            assertThat(zk.status()).allMatch(s -> s.version().equals("3.9.5"));
            assertEveryTreeIdentical(zk);
            assertThat(history.events())
                    .filteredOn(e -> e.kind().equals(History.FAULT_START))
                    .extracting(e -> e.description())
                    .contains("upgrade node " + order.get(2).id() + " from ZooKeeper 3.8.6 to 3.9.5");
            // each node's versions, for the timeline: 3.8.6 when recording began, 3.9.5 from its upgrade
            for (ZkNode node : zk.nodes()) {
                assertThat(history.events())
                        .filteredOn(e ->
                                e.kind().equals(History.VERSION) && e.source().equals("node-" + node.id()))
                        .extracting(e -> e.description())
                        .containsExactly("3.8.6", "3.9.5");
            }
        }
    }

    @Test
    void aMixedQuorumServesWithTheLeaderOnEitherVersionAndANodeDowngrades() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).version(V386).version(3, V395).start()) {
            assertThat(zk.node(1).status().version()).isEqualTo("3.8.6");
            assertThat(zk.node(3).status().version()).isEqualTo("3.9.5");
            for (String version : List.of("3.9.5", "3.8.6")) {
                ZkNode leader = leaderOn(zk, version);
                // a client of its own: the move restarted the last leader, whose connections went with it
                try (ZooKeeper client = Clients.connect(zk.connectString())) {
                    Clients.create(client, "/led-by-" + version, "node " + leader.id());
                }
                zk.await("a write under a " + version + " leader on every node", () -> {
                    try {
                        assertEveryTreeIdentical(zk);
                        return true;
                    } catch (AssertionError | Exception e) {
                        return false;
                    }
                });
            }
            ZkNode newest = zk.node(3);
            newest.upgrade(V386).awaitServing(); // a downgrade: 3.8.6 reads what 3.9.5 wrote
            zk.awaitServing();
            assertThat(newest.status().version()).isEqualTo("3.8.6");
            assertEveryTreeIdentical(zk);
            try (ZooKeeper client = Clients.connect(newest.connectString())) {
                assertThat(Clients.read(client, "/led-by-3.9.5")).startsWith("node ");
            }
        }
    }

    /** Moves the leader to a node of {@code version} (ZooKeeper's own election, see {@code ZkEnsemble.moveLeader}). */
    private static ZkNode leaderOn(ZkEnsemble zk, String version) {
        ZkNode target = zk.voters().stream()
                .filter(n -> n.status().version().equals(version))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no voter runs ZooKeeper " + version + ": " + zk.status()));
        return zk.moveLeader(target);
    }

    /** One process writing and reading its own values on five keys, recorded, until told to stop. */
    private static Void work(ZkEnsemble zk, History history, int process, AtomicBoolean writing) throws Exception {
        try (ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, event -> {})) {
            ZkRegisterClient register = new ZkRegisterClient(client, process, history, "/register");
            for (int i = 0; writing.get(); i++) {
                String key = KEYS.get(i % KEYS.size());
                Operation op = i % 3 == 2 ? register.read(key, true) : register.write(key, process + "-" + i);
                if (op.outcome() != Outcome.OK) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // no busy loop while nothing serves
                }
            }
        }
        return null;
    }

    private static void awaitMoreOk(ZkEnsemble zk, History history, int more) {
        long now = okCount(history);
        zk.await(more + " more acknowledged operations", Duration.ofSeconds(60), () -> okCount(history) >= now + more);
    }

    private static long okCount(History history) {
        return history.operations().stream()
                .filter(o -> o.outcome() == Outcome.OK)
                .count();
    }

    /** Every node, read on its own after a sync, holds the same znodes with the same data. */
    static void assertEveryTreeIdentical(ZkEnsemble zk) throws Exception {
        Map<Integer, Map<String, String>> trees = new TreeMap<>();
        for (ZkNode node : zk.nodes()) {
            try (ZooKeeper client = Clients.connect(node.connectString())) {
                CountDownLatch synced = new CountDownLatch(1);
                client.sync("/", (rc, path, ctx) -> synced.countDown(), null);
                assertThat(synced.await(20, TimeUnit.SECONDS)).isTrue();
                Map<String, String> tree = new TreeMap<>();
                read(client, "/", tree);
                trees.put(node.id(), tree);
            }
        }
        Map<String, String> first = trees.values().iterator().next();
        assertThat(first).isNotEmpty();
        assertThat(trees.values()).allSatisfy(tree -> assertThat(tree).isEqualTo(first));
    }

    private static void read(ZooKeeper client, String path, Map<String, String> tree) throws Exception {
        for (String child : client.getChildren(path, false)) {
            String full = (path.equals("/") ? "" : path) + "/" + child;
            if (full.equals("/zookeeper")) {
                continue;
            }
            byte[] data = client.getData(full, false, null);
            tree.put(full, data == null ? "" : new String(data, StandardCharsets.UTF_8));
            read(client, full, tree);
        }
    }
}
