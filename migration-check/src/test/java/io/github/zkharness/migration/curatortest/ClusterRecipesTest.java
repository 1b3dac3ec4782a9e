package io.github.zkharness.migration.curatortest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import org.apache.curator.test.DirectoryUtils;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.utils.CloseableUtils;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite on Curator's {@code TestingCluster}, as its users write cluster tests: a fresh cluster per test, clients
 * of its connect string, servers found by {@link InstanceSpec}. Its twin on zk-harness is
 * {@code io.github.zkharness.migration.harness.ClusterRecipesTest}; docs/guide/migrating-from-curator-test.md says
 * what differs and why.
 */
class ClusterRecipesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** User and password of the super digest this module's POM sets ({@code superDigest}, read once per JVM). */
    private static final String SUPER_USER = "migration:secret";

    private TestingCluster cluster;
    private final List<CuratorFramework> clients = new ArrayList<>();

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new TestingCluster(specsWithDistinctPorts(3));
        cluster.start(); // returns before the servers have formed a quorum
        awaitLeaderAmong(cluster.getInstances());
    }

    @AfterEach
    void closeCluster() {
        clients.forEach(CloseableUtils::closeQuietly);
        CloseableUtils.closeQuietly(cluster);
    }

    @Test
    void leaderLatchHasOneLeaderAgainAfterTheLeaderServerIsKilled() throws Exception {
        CuratorFramework first = client(cluster.getConnectString());
        CuratorFramework second = client(cluster.getConnectString());
        try (LeaderLatch a = new LeaderLatch(first, "/latch", "a");
                LeaderLatch b = new LeaderLatch(second, "/latch", "b")) {
            a.start();
            b.start();
            await("one of the two latches leads").atMost(WAIT).until(() -> a.hasLeadership() != b.hasLeadership());

            InstanceSpec leader = awaitLeaderAmong(cluster.getInstances());
            assertThat(cluster.killServer(leader)).isTrue();
            awaitLeaderAmong(without(cluster.getInstances(), leader));

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
                    client(cluster.getConnectString()), "/selector", new LeaderSelectorListenerAdapter() {
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

            InstanceSpec leader = awaitLeaderAmong(cluster.getInstances());
            assertThat(cluster.killServer(leader)).isTrue(); // every client loses its server: SUSPENDED cancels
            awaitLeaderAmong(without(cluster.getInstances(), leader));

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
        CuratorFramework holderClient = client(cluster.getConnectString());
        CuratorFramework otherClient = client(cluster.getConnectString());
        InterProcessMutex held = new InterProcessMutex(holderClient, "/lock");
        InterProcessMutex wanted = new InterProcessMutex(otherClient, "/lock");
        assertThat(held.acquire(10, TimeUnit.SECONDS)).isTrue();

        InstanceSpec server =
                cluster.findConnectionInstance(holderClient.getZookeeperClient().getZooKeeper());
        assertThat(cluster.killServer(server)).isTrue();
        awaitLeaderAmong(without(cluster.getInstances(), server));

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
        CuratorFramework watcher = client(cluster.getConnectString());
        CuratorFramework writer = client(cluster.getConnectString());
        writer.create().forPath("/config", bytes("v1"));
        try (CuratorCache cache = CuratorCache.build(watcher, "/config")) {
            cache.start();
            await("the cache holds v1").atMost(WAIT).until(() -> "v1".equals(value(cache)));

            InstanceSpec server =
                    cluster.findConnectionInstance(watcher.getZookeeperClient().getZooKeeper());
            assertThat(cluster.restartServer(server)).isTrue(); // a running server: stopped, then started
            awaitLeaderAmong(cluster.getInstances());

            writer.setData().forPath("/config", bytes("v2"));
            await("the cache holds v2").atMost(WAIT).until(() -> "v2".equals(value(cache)));
        }
    }

    /** TestingCluster cannot partition: the nearest it comes is killing the server, then restarting it. */
    @Test
    void majorityWritesWhileTheOldLeaderIsGoneAndItCatchesUp() throws Exception {
        CuratorFramework client = client(cluster.getConnectString());
        InstanceSpec old = awaitLeaderAmong(cluster.getInstances());

        assertThat(cluster.killServer(old)).isTrue(); // instead of a partition: the process is gone
        InstanceSpec next = awaitLeaderAmong(without(cluster.getInstances(), old));
        client.create().forPath("/written-by-the-majority", bytes("yes"));
        assertThat(next).isNotEqualTo(old);

        assertThat(cluster.restartServer(old)).isTrue();
        awaitLeaderAmong(cluster.getInstances());
        CuratorFramework ofTheOldLeader = client(old.getHostname() + ":" + old.getPort());
        await("the old leader has the majority's write")
                .atMost(WAIT)
                .ignoreExceptions()
                .until(() -> ofTheOldLeader.checkExists().forPath("/written-by-the-majority") != null);
    }

    @Test
    void wholeClusterStopAndStartKeepsTheDataOnTheSamePorts() throws Exception {
        String connectString = cluster.getConnectString();
        CuratorFramework writer = client(connectString);
        writer.create().forPath("/kept", bytes("before"));
        writer.close();
        Collection<InstanceSpec> specs = cluster.getInstances();

        cluster.stop();
        cluster.start(); // does nothing: start() only starts servers never started, and these are STOPPED
        assertThat(specs).allSatisfy(spec -> assertThat(mode(spec)).isEqualTo("down"));

        for (InstanceSpec spec : specs) {
            assertThat(cluster.restartServer(spec)).isTrue(); // this is what starts them again
        }
        awaitLeaderAmong(specs);
        assertThat(cluster.getConnectString()).isEqualTo(connectString);
        CuratorFramework reader = client(connectString);
        assertThat(new String(reader.getData().forPath("/kept"), StandardCharsets.UTF_8))
                .isEqualTo("before");
    }

    @Test
    void aServerOutsideTheClusterCannotBeKilled(@TempDir Path dir) throws Exception {
        InstanceSpec stranger = new InstanceSpec(dir.toFile(), -1, -1, -1, true, 99);
        assertThat(cluster.killServer(stranger)).isFalse(); // no exception: the test must check the boolean
        assertThat(cluster.restartServer(stranger)).isFalse();
        awaitLeaderAmong(cluster.getInstances()); // nothing happened to the cluster
    }

    /**
     * Read-only mode is ZooKeeper's system property, set before the cluster starts (curator-test then turns local
     * sessions and their upgrade on); TestingCluster cannot partition, so the other servers are killed.
     */
    @Test
    void aServerLeftAloneServesACanBeReadOnlyClient() throws Exception {
        CloseableUtils.closeQuietly(cluster); // this test needs a cluster started in read-only mode
        System.setProperty("readonlymode.enabled", "true");
        try {
            cluster = new TestingCluster(specsWithDistinctPorts(3));
            cluster.start();
            awaitLeaderAmong(cluster.getInstances());
            client(cluster.getConnectString()).create().forPath("/config", bytes("v1"));
            List<InstanceSpec> specs = new ArrayList<>(cluster.getInstances());
            InstanceSpec alone = specs.get(0);
            CuratorFramework ofAlone = client(alone.getHostname() + ":" + alone.getPort());
            await("server " + alone.getServerId() + " has /config")
                    .atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> ofAlone.checkExists().forPath("/config") != null);
            for (InstanceSpec other : specs.subList(1, 3)) {
                assertThat(cluster.killServer(other)).isTrue();
            }
            await("server " + alone.getServerId() + " read-only")
                    .atMost(WAIT)
                    .until(() -> mode(alone).equals("read-only"));

            CuratorFramework reader = CuratorFrameworkFactory.builder()
                    .connectString(alone.getHostname() + ":" + alone.getPort())
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
        } finally {
            System.clearProperty("readonlymode.enabled");
        }
    }

    /**
     * A test's own {@code reconfig}, as Curator's own tests write it: a spare spec started as a cluster of its own
     * ({@code makeSpecs(1, false)} continues a JVM-wide id counter, so the spec is made with id 4 here), reconfiguration
     * turned on JVM-wide before the servers start, and an admin client that is a super user of a digest set for the
     * JVM (this module's POM). A cluster of one spec runs standalone: the spare joins the configuration on paper but
     * never votes, so with one old voter gone, two of four are no quorum.
     */
    @Test
    void aTestsOwnReconfigBringsInASpareServerThatNeverVotes() throws Exception {
        CloseableUtils.closeQuietly(cluster); // reconfiguration must be on before the servers start
        QuorumPeerConfig.setReconfigEnabled(true);
        try {
            cluster = new TestingCluster(specsWithDistinctPorts(3));
            cluster.start();
            awaitLeaderAmong(cluster.getInstances());
            InstanceSpec spare = new InstanceSpec(null, -1, -1, -1, true, 4);
            try (TestingCluster ofTheSpare = new TestingCluster(List.of(spare))) {
                ofTheSpare.start();
                CuratorFramework admin = superUser(cluster.getConnectString());
                assertThat(config(admin)).doesNotContain("server.4=");

                admin.reconfig()
                        .joining("server.4=127.0.0.1:" + spare.getQuorumPort() + ":" + spare.getElectionPort()
                                + ":participant;127.0.0.1:" + spare.getPort())
                        .forEnsemble();
                await("server 4 in the committed configuration")
                        .atMost(WAIT)
                        .until(() -> config(admin).contains("server.4="));
                assertThat(mode(spare)).isEqualTo("standalone"); // it never took part

                InstanceSpec leader = awaitLeaderAmong(cluster.getInstances());
                InstanceSpec oldFollower =
                        without(cluster.getInstances(), leader).get(0);
                assertThat(cluster.killServer(oldFollower)).isTrue();
                List<InstanceSpec> left = without(cluster.getInstances(), oldFollower);
                await("the two servers left stop serving: 2 of 4 voters are no quorum")
                        .atMost(WAIT)
                        .until(() -> left.stream().noneMatch(s -> mode(s).equals("leader")));
            }
        } finally {
            QuorumPeerConfig.setReconfigEnabled(false);
        }
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

    /**
     * {@code new TestingCluster(3)} picks each port by opening and closing a socket, so two of its servers can get
     * the same port (the constructor then fails: "Multiple entries with same key"). Specs are made one at a time
     * here and one whose ports are already taken by an earlier spec is made again.
     */
    private static List<InstanceSpec> specsWithDistinctPorts(int count) throws IOException {
        List<InstanceSpec> specs = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        for (int id = 1; specs.size() < count; ) {
            InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, id);
            if (ports.add(spec.getPort()) & ports.add(spec.getElectionPort()) & ports.add(spec.getQuorumPort())) {
                specs.add(spec);
                id++;
            } else {
                DirectoryUtils.deleteRecursively(spec.getDataDirectory());
            }
        }
        return specs;
    }

    /** TestingCluster does not say which server leads: ask each server, with the four-letter word srvr. */
    private static InstanceSpec awaitLeaderAmong(Collection<InstanceSpec> servers) {
        AtomicReference<InstanceSpec> leader = new AtomicReference<>();
        await("a leader among " + ports(servers) + " and every other one following")
                .atMost(WAIT)
                .until(() -> {
                    Optional<InstanceSpec> found = servers.stream()
                            .filter(s -> mode(s).equals("leader"))
                            .findFirst();
                    found.ifPresent(leader::set);
                    return found.isPresent()
                            && servers.stream()
                                    .filter(s -> !s.equals(found.get()))
                                    .allMatch(s -> mode(s).equals("follower"));
                });
        return leader.get();
    }

    /** The server's mode as srvr tells it (leader, follower, standalone), or "down". */
    private static String mode(InstanceSpec spec) {
        try {
            String srvr = FourLetterWordMain.send4LetterWord(spec.getHostname(), spec.getPort(), "srvr", false, 1_000);
            return srvr.lines()
                    .filter(line -> line.startsWith("Mode: "))
                    .map(line -> line.substring("Mode: ".length()).trim())
                    .findFirst()
                    .orElse("not serving");
        } catch (Exception e) {
            return "down";
        }
    }

    private static List<InstanceSpec> without(Collection<InstanceSpec> specs, InstanceSpec gone) {
        return specs.stream().filter(s -> !s.equals(gone)).toList();
    }

    private static List<Integer> ports(Collection<InstanceSpec> specs) {
        return specs.stream().map(InstanceSpec::getPort).toList();
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
