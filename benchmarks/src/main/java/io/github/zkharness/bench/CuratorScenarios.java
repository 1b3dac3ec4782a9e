package io.github.zkharness.bench;

import io.github.zkharness.bench.junit.CuratorSuite;
import io.github.zkharness.bench.junit.SuiteJUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;

/**
 * Curator's side of each scenario: {@code TestingCluster} from curator-test, out of the box, as its users run it,
 * on the same ZooKeeper jar. Runs in a JVM of its own (see {@link ChildJvm}), so nothing zk-harness sets JVM-wide
 * reaches it; answers the benchmark's commands as {@link ChildJvm#serve} says.
 */
public final class CuratorScenarios {

    private static final long TIMEOUT_MS = 60_000;
    /**
     * {@code -Dzk.bench.sameSettings=true}: every cluster gets zk-harness's defaults where they differ from
     * TestingCluster's (tickTime 100 ms, sessions 200 ms to 60 s); the JVM is also started with
     * {@code -Dzookeeper.forceSync=no} (see {@link ChildJvm}). Otherwise TestingCluster as it comes.
     */
    static final boolean SAME_SETTINGS = Boolean.getBoolean("zk.bench.sameSettings");

    private CuratorScenarios() {}

    public static void main(String[] args) throws Exception {
        ChildJvm.serve(c -> switch (c[0]) {
            case "ready" -> ready(Integer.parseInt(c[1]));
            case "failover_kill_leader" -> failoverKillLeader();
            case "failover_new_leader" -> failoverNewLeader();
            case "restart_node" -> restartNode();
            case "close3" -> close3();
            case "suite" -> suite(Integer.parseInt(c[1]));
            case "suite_junit" -> suiteJUnit(Integer.parseInt(c[1]));
            case "threads" -> threads(Integer.parseInt(c[1]));
            case "heap" -> heap(Integer.parseInt(c[1]));
            default -> throw new IllegalArgumentException("unknown command: " + String.join(" ", c));
        });
    }

    /** Constructor, {@code start()}, a client, the first write (retried: {@code start()} returns before it serves). */
    static Run ready(int servers) throws Exception {
        Run.Profile p = new Run.Profile();
        TestingCluster cluster = cluster(servers);
        try {
            p.mark("constructed");
            cluster.start();
            p.mark("started");
            Clients.Events events = new Clients.Events();
            ZooKeeper client = Clients.open(cluster.getConnectString(), events);
            try {
                Clients.create(client, "/first");
                Run run = p.end();
                long connected = events.first(KeeperState.SyncConnected, p.start());
                p.markAt("last_connect_attempt", events.lastAttempt(connected));
                p.markAt("connected", connected);
                p.add("connect_attempts_count", events.attempts(p.start()));
                return run;
            } finally {
                client.close();
            }
        } finally {
            cluster.close();
        }
    }

    /** Leader ({@code srvr} says which) killed until a write through an existing client succeeds again. */
    static Run failoverKillLeader() throws Exception {
        try (TestingCluster cluster = cluster(3)) {
            cluster.start();
            Clients.Events events = new Clients.Events();
            ZooKeeper client = Clients.open(cluster.getConnectString(), events);
            try {
                Clients.create(client, "/warm");
                awaitAllServe(cluster);
                InstanceSpec leader = withMode(cluster, "leader");
                Run.Profile p = new Run.Profile();
                cluster.killServer(leader);
                p.mark("killed");
                Clients.create(client, "/after-failover");
                Run run = p.end();
                p.markAt("disconnected", events.first(KeeperState.Disconnected, p.start()));
                long reconnected = events.first(KeeperState.SyncConnected, p.start());
                p.markAt("last_connect_attempt", events.lastAttempt(reconnected));
                p.markAt("reconnected", reconnected);
                p.add("connect_attempts_count", events.attempts(p.start()));
                return run;
            } finally {
                client.close();
            }
        }
    }

    /** A killed follower from its restart until it serves again ({@code srvr} says so). */
    static Run restartNode() throws Exception {
        try (TestingCluster cluster = cluster(3)) {
            cluster.start();
            awaitAllServe(cluster);
            InstanceSpec follower = withMode(cluster, "follower");
            cluster.killServer(follower);
            Run.Profile p = new Run.Profile();
            cluster.restartServer(follower);
            p.mark("restart_returned");
            Clients.awaitMode(follower.getHostname(), follower.getPort(), "follower", TIMEOUT_MS);
            return p.end();
        }
    }

    /** {@code close()} of a running 3-server cluster; the profile counts the threads still alive when it returns. */
    static Run close3() throws Exception {
        int before = Threads.count();
        TestingCluster cluster = cluster(3);
        cluster.start();
        awaitAllServe(cluster);
        Run.Profile p = new Run.Profile();
        cluster.close();
        Run run = p.end();
        p.add("threads_left_count", Threads.count() - before);
        return run;
    }

    /**
     * A class of {@code tests} tests that each need a clean 3-node ensemble: a fresh TestingCluster per test, started
     * before and closed after it. A test that fails (its cluster's start or its body) is counted
     * ({@code failed_tests_count}) and the next one runs, as in JUnit.
     */
    static Run suite(int tests) throws Exception {
        Run.Profile p = new Run.Profile();
        for (int i = 0; i < tests; i++) {
            long t = System.nanoTime();
            TestingCluster cluster = null;
            try {
                cluster = cluster(3);
                cluster.start();
                p.add("start", System.nanoTime() - t);
                t = System.nanoTime();
                p.add("test_client_close", Clients.suiteTest(cluster.getConnectString(), i));
                p.add("tests", System.nanoTime() - t);
            } catch (Exception e) {
                p.add("failed_tests_count", 1);
                e.printStackTrace();
            } finally {
                t = System.nanoTime();
                if (cluster != null) {
                    cluster.close();
                }
                p.add("close", System.nanoTime() - t);
            }
        }
        return p.end();
    }

    /** {@code tests} tests through the JUnit engine, each with a TestingCluster of its own. */
    static Run suiteJUnit(int tests) {
        Run.Profile p = new Run.Profile();
        p.add("failed_tests_count", SuiteJUnit.run(CuratorSuite.class, tests));
        return p.end();
    }

    /** Heap the cluster keeps while all its servers serve, with one connected client that wrote one znode. */
    static Run heap(int servers) throws Exception {
        long before = Heap.baseline();
        try (TestingCluster cluster = cluster(servers)) {
            cluster.start();
            ZooKeeper client = Clients.open(cluster.getConnectString());
            try {
                Clients.create(client, "/h");
                awaitAllServe(cluster);
                return Run.of(Heap.usedAfterGc() - before);
            } finally {
                client.close();
            }
        }
    }

    /** Threads the cluster adds to the JVM while it runs, all its servers serving, with one connected client. */
    static Run threads(int servers) throws Exception {
        Map<String, Long> before = Threads.byName();
        try (TestingCluster cluster = cluster(servers)) {
            cluster.start();
            ZooKeeper client = Clients.open(cluster.getConnectString());
            try {
                Clients.create(client, "/t");
                awaitAllServe(cluster);
                return Threads.started(before);
            } finally {
                client.close();
            }
        }
    }

    /**
     * Leader ({@code srvr} says which) killed until a new leader serves a fresh client's write: from the kill until
     * another server reports {@code Mode: leader} ({@code srvr} on each survivor, every 1 ms), a new client connected
     * to that server only, and its first write was acknowledged.
     */
    static Run failoverNewLeader() throws Exception {
        try (TestingCluster cluster = cluster(3)) {
            cluster.start();
            awaitAllServe(cluster);
            InstanceSpec leader = withMode(cluster, "leader");
            Run.Profile p = new Run.Profile();
            cluster.killServer(leader);
            p.mark("killed");
            long deadline = p.start() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            InstanceSpec next = null;
            while (next == null) {
                for (InstanceSpec s : cluster.getInstances()) {
                    if (s != leader && "leader".equals(Clients.mode(s.getHostname(), s.getPort()))) {
                        next = s;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no new leader within " + TIMEOUT_MS + " ms");
                }
                LockSupport.parkNanos(1_000_000);
            }
            p.mark("new_leader_serving");
            ZooKeeper client = Clients.open(next.getHostname() + ":" + next.getPort());
            try {
                Clients.create(client, "/after-failover");
                return p.end();
            } finally {
                client.close();
            }
        }
    }

    /** A TestingCluster of {@code servers}, as it comes or with zk-harness's settings ({@link #SAME_SETTINGS}). */
    static TestingCluster cluster(int servers) {
        if (!SAME_SETTINGS) {
            return new TestingCluster(servers);
        }
        List<InstanceSpec> specs = new ArrayList<>();
        Map<String, Object> settings = Map.of("minSessionTimeout", "200", "maxSessionTimeout", "60000");
        for (int i = 0; i < servers; i++) {
            specs.add(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1, settings, null));
        }
        return new TestingCluster(specs);
    }

    private static void awaitAllServe(TestingCluster cluster) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            boolean all = true;
            for (InstanceSpec s : cluster.getInstances()) {
                String mode = Clients.mode(s.getHostname(), s.getPort());
                all &= "leader".equals(mode) || "follower".equals(mode);
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every server of the cluster serves within " + TIMEOUT_MS + " ms");
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    private static InstanceSpec withMode(TestingCluster cluster, String mode) {
        for (InstanceSpec s : cluster.getInstances()) {
            if (mode.equals(Clients.mode(s.getHostname(), s.getPort()))) {
                return s;
            }
        }
        throw new IllegalStateException("no server of the cluster reports Mode: " + mode);
    }
}
