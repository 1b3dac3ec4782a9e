package io.github.zkharness.migration.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.NodeStatus;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.CloseableUtils;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The suite on zk-harness: the same tests as {@code io.github.zkharness.migration.curatortest.ClusterRecipesTest}
 * on Curator's {@code TestingCluster}, migrated as docs/guide/migrating-from-curator-test.md says, call by call.
 */
class ClusterRecipesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** User and password of the super digest this module's POM sets ({@code superDigest}, read once per JVM). */
    private static final String SUPER_USER = "migration:secret";

    private ZkEnsemble cluster;
    private final List<CuratorFramework> clients = new ArrayList<>();

    @BeforeEach
    void startCluster() throws Exception {
        cluster = ZkEnsemble.builder().voters(3).start(); // returns once a leader is elected and all 3 serve
    }

    @AfterEach
    void closeCluster() {
        clients.forEach(CloseableUtils::closeQuietly);
        CloseableUtils.closeQuietly(cluster);
    }

    @Test
    void leaderLatchHasOneLeaderAgainAfterTheLeaderServerIsKilled() throws Exception {
        CuratorFramework first = client(cluster.connectString());
        CuratorFramework second = client(cluster.connectString());
        try (LeaderLatch a = new LeaderLatch(first, "/latch", "a");
                LeaderLatch b = new LeaderLatch(second, "/latch", "b")) {
            a.start();
            b.start();
            await("one of the two latches leads").atMost(WAIT).until(() -> a.hasLeadership() != b.hasLeadership());

            cluster.leader().kill();
            cluster.awaitLeader();

            await("exactly one latch leading, both taking part, after the failover")
                    .atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> a.hasLeadership() != b.hasLeadership()
                            && a.getParticipants().size() == 2);
        }
    }

    @Test
    void leaderSelectorGivesUpAndRetakesLeadershipAcrossALeaderKill() throws Exception {
        AtomicInteger leaderships = new AtomicInteger();
        AtomicReference<String> holder = new AtomicReference<>();
        List<LeaderSelector> selectors = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            LeaderSelector selector = new LeaderSelector(
                    client(cluster.connectString()), "/selector", new LeaderSelectorListenerAdapter() {
                        @Override
                        public void takeLeadership(CuratorFramework client) throws Exception {
                            leaderships.incrementAndGet();
                            holder.set(name);
                            try {
                                new CountDownLatch(1).await(); // lead until interrupted (leadership cancelled)
                            } finally {
                                holder.compareAndSet(name, null);
                            }
                        }
                    });
            selector.autoRequeue();
            selectors.add(selector);
            selector.start();
        }
        try {
            await("a first leadership").atMost(WAIT).until(() -> leaderships.get() == 1 && holder.get() != null);

            cluster.leader().kill(); // every client loses its server: SUSPENDED cancels
            cluster.awaitLeader();

            await("leadership taken again after the failover")
                    .atMost(WAIT)
                    .until(() -> leaderships.get() >= 2 && holder.get() != null);
            assertThat(selectors.stream().filter(LeaderSelector::hasLeadership)).hasSize(1);
        } finally {
            selectors.forEach(CloseableUtils::closeQuietly);
        }
    }

    @Test
    void lockStaysWithItsHolderWhenTheHoldersServerIsKilled() throws Exception {
        CuratorFramework holderClient = client(cluster.connectString());
        CuratorFramework otherClient = client(cluster.connectString());
        InterProcessMutex held = new InterProcessMutex(holderClient, "/lock");
        InterProcessMutex wanted = new InterProcessMutex(otherClient, "/lock");
        assertThat(held.acquire(10, TimeUnit.SECONDS)).isTrue();

        ZkNode server = cluster.findConnectedNode(
                        holderClient.getZookeeperClient().getZooKeeper().getSessionId())
                .orElseThrow();
        server.kill();
        cluster.awaitLeader();

        // the holder's session moves to another server: the lock is still its own
        assertThat(wanted.acquire(1, TimeUnit.SECONDS)).isFalse();
        await("the holder's client connected again")
                .atMost(WAIT)
                .until(() -> holderClient.getZookeeperClient().isConnected());
        assertThat(held.getParticipantNodes()).hasSize(1);

        held.release();
        assertThat(wanted.acquire(10, TimeUnit.SECONDS)).isTrue();
        wanted.release();
    }

    @Test
    void cacheSeesAnUpdateMadeAfterItsServerRestarted() throws Exception {
        CuratorFramework watcher = client(cluster.connectString());
        CuratorFramework writer = client(cluster.connectString());
        writer.create().forPath("/config", bytes("v1"));
        try (CuratorCache cache = CuratorCache.build(watcher, "/config")) {
            cache.start();
            await("the cache holds v1").atMost(WAIT).until(() -> "v1".equals(value(cache)));

            ZkNode server = cluster.findConnectedNode(
                            watcher.getZookeeperClient().getZooKeeper().getSessionId())
                    .orElseThrow();
            server.stop().restart(); // restart() starts a stopped or killed node: stop a running one first
            cluster.awaitServing();

            writer.setData().forPath("/config", bytes("v2"));
            await("the cache holds v2").atMost(WAIT).until(() -> "v2".equals(value(cache)));
        }
    }

    /** A partition, where TestingCluster can only kill: the old leader runs on, cut off, and rejoins on heal. */
    @Test
    void majorityWritesWhileTheOldLeaderIsGoneAndItCatchesUp() throws Exception {
        CuratorFramework client = client(cluster.connectString());
        ZkNode old = cluster.leader();

        try (Fault cutOff = cluster.network().isolate(old)) {
            old.awaitRole(Role.LOOKING); // it gives up leading, and still runs
            assertThat(old.state()).isEqualTo(NodeState.RUNNING);
            ZkNode next = cluster.awaitLeader();
            client.create().forPath("/written-by-the-majority", bytes("yes"));
            assertThat(next).isNotEqualTo(old);
        }

        old.awaitServing();
        CuratorFramework ofTheOldLeader = client(old.connectString());
        await("the old leader has the majority's write")
                .atMost(WAIT)
                .ignoreExceptions()
                .until(() -> ofTheOldLeader.checkExists().forPath("/written-by-the-majority") != null);
    }

    @Test
    void wholeClusterStopAndStartKeepsTheDataOnTheSamePorts() throws Exception {
        String connectString = cluster.connectString();
        CuratorFramework writer = client(connectString);
        writer.create().forPath("/kept", bytes("before"));
        writer.close();
        cluster.stop();
        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(node.state()).isEqualTo(NodeState.STOPPED));
        cluster.start(); // every node again, with its data; returns once all serve
        assertThat(cluster.connectString()).isEqualTo(connectString);
        CuratorFramework reader = client(connectString);
        assertThat(new String(reader.getData().forPath("/kept"), StandardCharsets.UTF_8))
                .isEqualTo("before");
    }

    @Test
    void aServerOutsideTheClusterCannotBeKilled() {
        assertThatThrownBy(() -> cluster.node(99)) // a server that is not there fails at once, naming the ids
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ids are [1, 2, 3]");
        assertThat(cluster.nodes()).allMatch(ZkNode::isServing); // nothing happened to the cluster
    }

    /** Read-only mode is a builder setting (local sessions come with it); the server left alone is partitioned. */
    @Test
    void aServerLeftAloneServesACanBeReadOnlyClient() throws Exception {
        cluster.close(); // this test needs a cluster started in read-only mode
        cluster = ZkEnsemble.builder().voters(3).readOnlyMode(true).start();
        client(cluster.connectString()).create().forPath("/config", bytes("v1"));
        ZkNode alone = cluster.followers().get(0);
        CuratorFramework ofAlone = client(alone.connectString());
        await("node " + alone.id() + " has /config")
                .atMost(WAIT)
                .ignoreExceptions()
                .until(() -> ofAlone.checkExists().forPath("/config") != null);
        try (Fault partition = cluster.network().isolate(alone)) {
            alone.awaitRole(Role.READ_ONLY, WAIT);

            CuratorFramework reader = CuratorFrameworkFactory.builder()
                    .connectString(alone.connectString())
                    .canBeReadOnly(true)
                    .retryPolicy(new ExponentialBackoffRetry(100, 10))
                    .build();
            clients.add(reader);
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            reader.getConnectionStateListenable().addListener((c, s) -> states.add(s));
            reader.start();
            await("the client connected read-only")
                    .atMost(WAIT)
                    .until(() -> states.contains(ConnectionState.READ_ONLY));
            assertThat(new String(reader.getData().forPath("/config"), StandardCharsets.UTF_8))
                    .isEqualTo("v1");
            assertThatThrownBy(() -> reader.setData().forPath("/config", bytes("v2")))
                    .isInstanceOf(KeeperException.NotReadOnlyException.class);
        }
    }

    /**
     * A test's own {@code reconfig}: {@code addOutsideServer()} starts a spare server outside the configuration,
     * and the test's admin client (a super user of the test's own digest, which this module's POM sets for its
     * test JVMs) brings it in. Reconfiguration is always on in a harness ensemble. The spare syncs and votes: with
     * one of the three old voters gone, three of four still make a quorum.
     */
    @Test
    void aTestsOwnReconfigBringsInASpareServerThatVotes() throws Exception {
        ZkNode spare = cluster.addOutsideServer(); // the next free id, 4: serving, but in no configuration yet
        CuratorFramework admin = superUser(cluster.connectString());
        assertThat(config(admin)).doesNotContain("server.4=");

        NodeStatus s = spare.status();
        admin.reconfig()
                .joining("server." + spare.id() + "=127.0.0.1:" + s.quorumPort() + ":" + s.electionPort()
                        + ":participant;127.0.0.1:" + s.clientAddress().getPort())
                .forEnsemble();
        await("server 4 in the committed configuration")
                .atMost(WAIT)
                .until(() -> config(admin).contains("server.4="));
        spare.awaitRole(Role.FOLLOWER, WAIT);

        ZkNode oldFollower = cluster.followers().stream()
                .filter(n -> n.id() != spare.id())
                .findFirst()
                .orElseThrow();
        oldFollower.kill();
        cluster.awaitLeader(); // 3 of 4 voters are left, the spare among them: still a quorum
        admin.create().forPath("/written-with-the-spare-voting", bytes("yes"));
    }

    // ------------------------------------------------------------------------------------------- helpers

    private CuratorFramework client(String connectString) throws InterruptedException {
        CuratorFramework client =
                CuratorFrameworkFactory.newClient(connectString, 10_000, 5_000, new ExponentialBackoffRetry(100, 10));
        clients.add(client);
        client.start();
        assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS))
                .as("connected to %s", connectString)
                .isTrue();
        return client;
    }

    /** A client authenticated as the super user of the digest this module's POM sets for its test JVMs. */
    private CuratorFramework superUser(String connectString) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .authorization("digest", bytes(SUPER_USER))
                .retryPolicy(new ExponentialBackoffRetry(100, 10))
                .build();
        clients.add(client);
        client.start();
        assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS))
                .as("connected to %s", connectString)
                .isTrue();
        return client;
    }

    private static String config(CuratorFramework client) throws Exception {
        return new String(client.getConfig().forEnsemble(), StandardCharsets.UTF_8);
    }

    private static String value(CuratorCache cache) {
        return cache.get("/config")
                .map(ChildData::getData)
                .map(d -> new String(d, StandardCharsets.UTF_8))
                .orElse(null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
