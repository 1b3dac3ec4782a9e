package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

/** What {@link ZkEnsemble#reset()} puts back beyond data: the configuration a test changed, deep trees. */
class ResetTests {

    /** Lets a test's own client reconfigure, as a user with their own super user would. */
    private static ZooKeeperAdmin adminOf(ZkEnsemble zk) throws Exception {
        ZkNode leader = zk.awaitLeader();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeperAdmin admin = new ZooKeeperAdmin(leader.connectString(), 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(20, TimeUnit.SECONDS), "admin client never connected");
        zk.await(
                "the test's admin session on the leader",
                java.time.Duration.ofSeconds(10),
                () -> zk.parts().cluster().server(leader.id()).grantSuperUser(admin.getSessionId()));
        return admin;
    }

    private static String config(ZooKeeper client) throws Exception {
        return new String(client.getConfig(false, null), StandardCharsets.UTF_8);
    }

    @Test
    void aRoleChangedByTheTestsOwnReconfigurationIsPutBack() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode three = zk.node(3);
            try (ZooKeeperAdmin admin = adminOf(zk)) {
                admin.reconfigure(
                        "server.3=127.0.0.1:" + three.status().quorumPort() + ":"
                                + three.status().electionPort() + ":observer;" + three.connectString(),
                        null,
                        null,
                        -1,
                        new Stat());
                zk.await(
                        "node 3 observing",
                        java.time.Duration.ofSeconds(20),
                        () -> three.role() == Role.OBSERVER && three.isServing());
            }
            zk.reset();
            assertTrue(three.isVoter(), "node 3 is a voter again: " + three);
            // a committed reconfiguration makes the peers elect again: on a loaded machine that may end after reset()
            zk.await(
                    "node 3 voting again",
                    java.time.Duration.ofSeconds(20),
                    () -> three.role() == Role.FOLLOWER || three.role() == Role.LEADER);
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                String config = config(client);
                assertTrue(
                        config.contains("server.3=127.0.0.1:" + three.status().quorumPort() + ":"
                                + three.status().electionPort() + ":participant"),
                        config);
            }
        }
    }

    @Test
    void aMemberRemovedByTheTestsOwnReconfigurationComesBack() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode leader = zk.leader();
            ZkNode gone = zk.followers().get(0);
            try (ZooKeeperAdmin admin = adminOf(zk)) {
                admin.reconfigure(null, String.valueOf(gone.id()), null, -1, new Stat());
            }
            zk.reset();
            assertTrue(gone.isServing(), "node " + gone.id() + ": " + zk.describe());
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                assertTrue(config(client).contains("server." + gone.id() + "="), config(client));
            }
            // and the ensemble still works: a quorum of three again, after the old leader goes
            leader.kill();
            zk.awaitLeader();
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                Clients.create(client, "/after", "x");
            }
        }
    }

    /** The JUnit layer tells a clean ensemble by its zxid: nothing of a reset may still move it once reset() returned. */
    @Test
    void onceResetReturnedNoServersLastZxidMoves() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            try (ZooKeeper client = zk.newZooKeeper()) {
                client.create("/x", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            zk.reset();
            long after = highestZxid(zk);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> highestZxid(zk) == after);
        }
    }

    private static long highestZxid(ZkEnsemble zk) {
        return zk.nodes().stream().mapToLong(n -> n.status().lastZxid()).max().orElseThrow();
    }

    @Test
    void aDeepWideTreeIsDeletedAsAWhole() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            List<String> paths = new ArrayList<>();
            for (int a = 0; a < 6; a++) {
                paths.add("/a" + a);
                for (int b = 0; b < 30; b++) {
                    paths.add("/a" + a + "/b" + b);
                    paths.add("/a" + a + "/b" + b + "/c");
                    paths.add("/a" + a + "/b" + b + "/c/d");
                }
            }
            for (String path : paths) {
                client.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            zk.reset();
            // reset() deletes through the leader and returns once the leader applied the deletes; this client's
            // server, connected before the reset, may apply them later (reads are not linearizable across servers)
            await("an empty tree on client's server")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertEquals(List.of("zookeeper"), client.getChildren("/", false)));
        }
    }

    @Test
    void membershipWorksWhenAnotherServerLoadedZooKeepersDigestProviderFirst() throws Exception {
        String key = "zookeeper.DigestAuthenticationProvider.superDigest";
        String before = System.getProperty(key);
        System.setProperty(key, DigestAuthenticationProvider.generateDigest("someone:else"));
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode observer = zk.addObserver();
            assertEquals(Role.OBSERVER, observer.role());
            zk.remove(observer);
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    /**
     * A data seed may use the harness from threads of its own (a recipe it starts, a helper pool): reset() runs it
     * outside the ensemble's lock, so a seed waiting for a node control call on another thread does not deadlock.
     */
    @Test
    void aSeedThatCallsBackIntoTheHarnessFromAnotherThreadDoesNotDeadlock() throws Exception {
        List<String> seeded = new ArrayList<>();
        DataSeed seed = zk -> {
            Thread other = new Thread(() -> zk.node(3).stop().restart().awaitServing(), "seed-helper");
            other.start();
            other.join(TimeUnit.SECONDS.toMillis(30));
            seeded.add(
                    other.isAlive() ? "still waiting" : "node 3 " + zk.node(3).state());
        };
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).seed(seed).start()) {
            zk.node(1).kill();
            zk.reset();
            assertEquals(List.of("node 3 RUNNING", "node 3 RUNNING"), seeded, "after start, after reset");
        }
    }
}
