package io.github.zkharness.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Checks;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.check.ZooKeeperConsistency;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

class RegisterOnEnsembleTests {

    private static final List<String> KEYS = List.of("a", "b");

    @Test
    void clientsOnEveryNodeRecordAHistoryThatZooKeepersDocumentedModelAccepts() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            for (ZkNode n : zk.nodes()) {
                history.role(n.id(), n.role().name());
            }
            List<ZooKeeper> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                for (ZkNode n : zk.nodes()) {
                    clients.add(connect(n.connectString()));
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    ZkRegisterClient register = new ZkRegisterClient(clients.get(p), p, history, "/register");
                    int process = p;
                    done.add(pool.submit(() -> {
                        go.await();
                        workload(register, process);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(20, TimeUnit.SECONDS);
                }
                Map<String, Map<String, String>> found = new TreeMap<>();
                for (int i = 0; i < clients.size(); i++) {
                    found.put("node-" + zk.nodes().get(i).id(), contents(clients.get(i)));
                }
                CheckResult result = Checks.all(ZooKeeperConsistency.of(), Durability.of(found))
                        .check(history);
                assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
            } finally {
                pool.shutdownNow();
                for (ZooKeeper c : clients) {
                    c.close();
                }
            }
        }
        List<Operation> ops = history.operations();
        assertThat(ops).hasSize(3 * 120);
        assertThat(ops).allMatch(Operation::completed);
        // no faults: every read and write succeeds; only CAS may fail (someone else changed the value)
        assertThat(ops).filteredOn(o -> !o.kind().equals(OpKind.CAS)).allMatch(o -> o.outcome() == Outcome.OK);
        assertThat(ops)
                .filteredOn(o -> o.kind().equals(OpKind.CAS) && o.outcome() == Outcome.OK)
                .isNotEmpty();
        assertThat(ops).extracting(Operation::kind).contains(OpKind.READ, OpKind.SYNC_READ, OpKind.WRITE, OpKind.CAS);
    }

    private static void workload(ZkRegisterClient register, int process) {
        Random random = new Random(42 + process);
        String lastSeen = null;
        for (int i = 0; i < 120; i++) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            String value = process + "-" + i;
            Operation op = switch (random.nextInt(4)) {
                case 0 -> register.write(key, value);
                case 1 -> register.read(key);
                case 2 -> register.read(key, true);
                default -> register.cas(key, lastSeen, value);
            };
            if (op.kind().isRead() && op.outcome() == Outcome.OK) {
                lastSeen = op.result();
            }
        }
    }

    /** What a node holds after a sync, key by key. */
    private static Map<String, String> contents(ZooKeeper client) throws Exception {
        CountDownLatch synced = new CountDownLatch(1);
        client.sync("/register", (rc, path, ctx) -> synced.countDown(), null);
        assertThat(synced.await(10, TimeUnit.SECONDS))
                .as("sync answered within 10 s")
                .isTrue();
        Map<String, String> contents = new TreeMap<>();
        for (String key : KEYS) {
            try {
                contents.put(key, new String(client.getData("/register/" + key, false, null), StandardCharsets.UTF_8));
            } catch (KeeperException.NoNodeException e) {
                // absent
            }
        }
        return contents;
    }

    private static ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("client never connected to " + connectString + " within 20 s");
        }
        return zk;
    }
}
