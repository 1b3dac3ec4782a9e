package io.github.zkharness.bench;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Runtime membership: from the add call until the new node serves with the data (1000 znodes written before),
 * and the time of a remove. Prints {@code scenario=<name> harness_ms=<median> harness_min=.. harness_max=..}.
 * Run: {@code java -cp <benchmarks classpath> io.github.zkharness.bench.MembershipBench [rounds]}.
 */
public final class MembershipBench {

    private MembershipBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Long> addObserver = new ArrayList<>();
        List<Long> addVoter = new ArrayList<>();
        List<Long> remove = new ArrayList<>();
        for (int i = 0; i <= rounds; i++) {
            try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
                ZooKeeper client = connect(zk.connectString());
                try {
                    for (int n = 0; n < 1000; n++) {
                        client.create(
                                "/d-", new byte[64], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
                    }
                } finally {
                    client.close();
                }
                long t0 = System.nanoTime();
                ZkNode observer = zk.addObserver(); // returns once it serves, synced, and the config is committed
                long t1 = System.nanoTime();
                ZkNode voter = zk.addVoter();
                long t2 = System.nanoTime();
                zk.remove(observer);
                long t3 = System.nanoTime();
                if (i > 0) { // round 0 warms up
                    addObserver.add(t1 - t0);
                    addVoter.add(t2 - t1);
                    remove.add(t3 - t2);
                }
                if (voter.status().lastZxid() < zk.leader().status().lastZxid() - 2) {
                    throw new IllegalStateException("the added voter lags: " + zk.describe());
                }
            }
        }
        print("add_observer", addObserver);
        print("add_voter", addVoter);
        print("remove_node", remove);
    }

    private static ZooKeeper connect(String connectString) throws Exception {
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no connection to " + connectString + " within 30 s");
        }
        return zk;
    }

    private static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static void print(String scenario, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "scenario=%s harness_ms=%.1f harness_min=%.1f harness_max=%.1f runs=%d%n",
                scenario,
                median(sorted) / 1e6,
                sorted.get(0) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6,
                sorted.size());
    }
}
