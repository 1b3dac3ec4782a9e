package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkTls;
import io.github.zkharness.junit5.ZkCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.Test;

/**
 * A service that talks to ZooKeeper over mutual TLS, configured the way production code is: from the paths and the
 * password of a trust store and a key store (here the harness's, from {@link ZkTls}), not from a ready-made client.
 * ZooKeeper's TLS client needs three things besides the stores: {@code zookeeper.client.secure=true}, the Netty
 * client socket (the NIO one has no TLS), and a {@code ZKClientConfig} handed to Curator, because system
 * properties would apply to every client in the JVM. The service registers itself, and stays registered through the
 * loss of the leader.
 */
@ZkCluster(nodes = 3, tls = true, mutualTls = true)
class MutualTlsServiceExample {

    /** What the service reads from its own configuration in production. */
    // README:tls-config
    static ZKClientConfig tlsConfig(Path trustStore, Path keyStore, String password) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        config.setProperty("zookeeper.ssl.trustStore.location", trustStore.toString());
        config.setProperty("zookeeper.ssl.trustStore.password", password);
        config.setProperty("zookeeper.ssl.keyStore.location", keyStore.toString());
        config.setProperty("zookeeper.ssl.keyStore.password", password);
        return config;
    }
    // README:end

    @Test
    void aServiceOnMutualTlsStaysRegisteredThroughALeaderLoss(ZkEnsemble zk, ZkTls tls) throws Exception {
        try (CuratorFramework service = CuratorFrameworkFactory.builder()
                .connectString(zk.connectString())
                .zkClientConfig(tlsConfig(tls.trustStore(), tls.keyStore(), tls.password()))
                .sessionTimeoutMs(30_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 10))
                .build()) {
            service.start();
            assertThat(service.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
            service.create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.EPHEMERAL)
                    .forPath("/services/orders/instance-1", "10.0.0.7:8080".getBytes(StandardCharsets.UTF_8));

            ZkNode oldLeader = zk.leader();
            oldLeader.kill();
            zk.awaitLeader();

            // the session moved to another server, over TLS again, and kept its ephemeral node
            assertThat(service.checkExists().forPath("/services/orders/instance-1"))
                    .isNotNull();
            oldLeader.restart();
            zk.awaitServing();
        }
    }
}
