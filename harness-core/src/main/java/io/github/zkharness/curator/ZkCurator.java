package io.github.zkharness.curator;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.internal.ClientConnector;
import io.github.zkharness.internal.ensemble.ClientTargets;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZookeeperFactory;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Curator clients of an ensemble, started and connected, with the harness's defaults: a 30 s session,
 * {@code ExponentialBackoffRetry(100 ms, 10 retries)}. The caller closes them.
 *
 * <pre>{@code
 * try (CuratorFramework client = ZkCurator.newClient(zk)) { ... }
 * try (CuratorFramework pinned = ZkCurator.newClient(zk.node(2))) { ... }   // node 2 alone
 * }</pre>
 *
 * <p>A client of one node talks to that node alone: Curator's ensemble tracker, which otherwise adds every
 * server it reads in {@code /zookeeper/config} to the connect string, is off. A client of the whole ensemble
 * keeps it on, as Curator's default.
 *
 * <p>Clients of an ensemble built with {@code tls(true)} connect over TLS ({@code ZkEnsemble.tls().clientConfig()});
 * a customizer that sets its own {@code zookeeperFactory} replaces that.
 *
 * <p>Curator is an optional dependency of zk-harness: this class needs {@code curator-framework} 5.x on the
 * class path, nothing else does.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ZkCurator {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    /** How often a connect wait asks whether it can still succeed. */
    private static final int POLL_MS = 10;

    private ZkCurator() {}

    /** A started client of every node, connected within the ensemble's default timeout. */
    public static CuratorFramework newClient(ZkEnsemble ensemble) {
        return newClient(ensemble, builder -> {});
    }

    /**
     * A started client of every node, connected; {@code customizer} may change anything on Curator's builder
     * (retry policy, namespace, ACL provider, ...) before it is built.
     *
     * @throws ZkTimeoutException naming every node's state if it does not connect within the default timeout
     */
    public static CuratorFramework newClient(
            ZkEnsemble ensemble, Consumer<CuratorFrameworkFactory.Builder> customizer) {
        Objects.requireNonNull(ensemble, "ensemble must not be null");
        String connectString = ensemble.connectString();
        ClientTargets targets = ClientTargets.named(ensemble.name());
        targets.requireAnyUsable(connectString, targets.parse(connectString));
        return connect(ensemble, connectString, true, tlsConfig(targets), customizer, targets::noneOfTheMembersUsable);
    }

    /** A started client of {@code node} alone (ensemble tracker off), connected. */
    public static CuratorFramework newClient(ZkNode node) {
        return newClient(node, builder -> {});
    }

    /**
     * A started client of {@code node} alone (ensemble tracker off), connected; see
     * {@link #newClient(ZkEnsemble, Consumer)} for {@code customizer}.
     */
    public static CuratorFramework newClient(ZkNode node, Consumer<CuratorFrameworkFactory.Builder> customizer) {
        Objects.requireNonNull(node, "node must not be null");
        String connectString = node.connectString();
        ClientTargets targets = ClientTargets.named(node.ensemble().name());
        targets.requireUsable(node.id(), node.state(), "ZkCurator.newClient(ensemble)");
        Set<Integer> ids = Set.of(node.id());
        return connect(
                node.ensemble(), connectString, false, tlsConfig(targets), customizer, () -> targets.noneUsable(ids));
    }

    private static CuratorFramework connect(
            ZkEnsemble ensemble,
            String connectString,
            boolean trackEnsemble,
            @Nullable Supplier<ZKClientConfig> clientConfig,
            Consumer<CuratorFrameworkFactory.Builder> customizer,
            Supplier<String> hopeless) {
        Objects.requireNonNull(customizer, "customizer must not be null");
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) SESSION_TIMEOUT.toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 10))
                .ensembleTracker(trackEnsemble);
        if (clientConfig != null) {
            // a TLS ensemble's trust store and client certificate; Curator before 5.2 has no zkClientConfig(...)
            builder.zookeeperFactory(new ConfiguredFactory(clientConfig));
        }
        customizer.accept(builder);
        CuratorFramework client = builder.build();
        client.start();
        Duration timeout = ensemble.defaultTimeout();
        long start = System.nanoTime();
        try {
            while (!client.blockUntilConnected(POLL_MS, TimeUnit.MILLISECONDS)) {
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                String why = hopeless.get();
                if (why != null) {
                    ClientConnector.closeInBackground(client); // never connected: its close waits up to 1 s
                    throw new ZkHarnessException("gave up after " + waited.toMillis() + " ms waiting for a Curator"
                            + " client of " + connectString + " to connect: " + why + "; nodes: "
                            + ensemble.describe());
                }
                if (waited.compareTo(timeout) >= 0) {
                    client.close();
                    throw new ZkTimeoutException("Timed out after " + timeout.toMillis() + " ms waiting for a Curator"
                            + " client of " + connectString + " to connect; nodes: " + ensemble.describe());
                }
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException(
                    "interrupted while a Curator client of " + connectString + " connected", e);
        }
        return client;
    }

    /** New client configurations for a TLS ensemble, or null for a plain one (ZooKeeper's default then). */
    private static @Nullable Supplier<ZKClientConfig> tlsConfig(ClientTargets targets) {
        return targets.clientConfig() == null ? null : targets::clientConfig;
    }

    /** Opens Curator's ZooKeeper clients with a TLS ensemble's client configuration (a copy for each client). */
    private static final class ConfiguredFactory implements ZookeeperFactory {

        private final Supplier<ZKClientConfig> config;

        ConfiguredFactory(Supplier<ZKClientConfig> config) {
            this.config = config;
        }

        @Override
        public ZooKeeper newZooKeeper(String connectString, int sessionTimeout, Watcher watcher, boolean canBeReadOnly)
                throws IOException {
            return new ZooKeeper(connectString, sessionTimeout, watcher, canBeReadOnly, config.get());
        }

        @Override
        public ZooKeeper newZooKeeper(
                String connectString,
                int sessionTimeout,
                Watcher watcher,
                boolean canBeReadOnly,
                @Nullable ZKClientConfig given)
                throws IOException {
            return given != null
                    ? new ZooKeeper(connectString, sessionTimeout, watcher, canBeReadOnly, given)
                    : newZooKeeper(connectString, sessionTimeout, watcher, canBeReadOnly);
        }
    }
}
