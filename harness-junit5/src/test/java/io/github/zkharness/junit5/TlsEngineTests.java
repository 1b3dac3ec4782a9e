package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkTls;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @ZkCluster(tls = true)}: the injected clients talk TLS, and a {@code ZkTls} parameter gets the stores;
 * {@code quorumSasl = true}: the peers authenticate each other.
 */
class TlsEngineTests {

    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @ZkCluster(nodes = 3, tls = true, mutualTls = true)
    @Fixture
    static class MutualTls {
        @Test
        void injectedClientsConnectOverMutualTls(ZooKeeper zooKeeper, CuratorFramework curator, ZkTls tls)
                throws Exception {
            zooKeeper.create("/tls", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // the two injected clients may be on different servers: Curator's has /tls once its server applied it
            await("Curator's server to have /tls")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> curator.checkExists().forPath("/tls") != null);
            SEEN.add(new String(curator.getData().forPath("/tls")));
            SEEN.add(String.valueOf(Files.exists(tls.trustStore()) && Files.exists(tls.keyStore())));
            SEEN.add(zooKeeper.getClientConfig().getProperty("zookeeper.client.secure"));
        }
    }

    @ZkCluster(nodes = 3, tls = true, quorumSasl = true)
    @Fixture
    static class TlsAndQuorumSasl {
        @Test
        void theQuorumAuthenticatesAndTheClientsTalkTls(ZkEnsemble zk, CuratorFramework curator) throws Exception {
            curator.create().forPath("/sasl", "y".getBytes());
            SEEN.add(new String(curator.getData().forPath("/sasl")));
            SEEN.add(String.valueOf(zk.quorumPassword().length()));
            SEEN.add(System.getProperty("zookeeper.fips-mode"));
        }
    }

    @ZkCluster(
            nodes = 1,
            saslUsers = {"alice:alice:secret", "bob:b"})
    @Fixture
    static class SaslUsers {
        @Test
        void aDeclaredUserLogsIn(ZkEnsemble zk) throws Exception {
            Set<Watcher.Event.KeeperState> states = ConcurrentHashMap.newKeySet();
            try (ZooKeeper alice = new ZooKeeper(
                    zk.connectString(),
                    30_000,
                    e -> states.add(e.getState()),
                    zk.saslClientConfig("alice", "alice:secret"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> states.contains(Watcher.Event.KeeperState.SaslAuthenticated));
                List<ACL> aliceOnly = Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("sasl", "alice")));
                alice.create("/alice", "a".getBytes(), aliceOnly, CreateMode.PERSISTENT); // needs sasl:alice to read
                SEEN.add(new String(alice.getData("/alice", false, null)));
            }
        }
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class PlainWithTlsParameter {
        @Test
        void test(ZkTls tls) {}
    }

    @Test
    void injectedClientsAndTheTlsMaterialWorkOverTls() {
        SEEN.clear();
        EngineExecutionResults results = EngineRuns.run(MutualTls.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).containsExactly("x", "true", "true");
    }

    @Test
    void quorumSaslTogetherWithTls() {
        SEEN.clear();
        EngineExecutionResults results = EngineRuns.run(TlsAndQuorumSasl.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).containsExactly("y", "32", "false");
    }

    @Test
    void saslUsersDeclaredOnTheAnnotationLogIn() {
        SEEN.clear();
        EngineExecutionResults results = EngineRuns.run(SaslUsers.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).containsExactly("a");
    }

    @Test
    void aTlsParameterOnAPlainClusterSaysWhatToDeclare() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(PlainWithTlsParameter.class));
        assertThat(failure.getMessage()).contains("is a ZkTls").contains("@ZkCluster(tls = true)");
    }
}
