package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.junit5.ZkCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.junit.jupiter.api.Test;

/**
 * Service discovery with Curator's {@code ServiceDiscovery}: each instance registers as an ephemeral znode, so when
 * its session expires ZooKeeper deletes it and consumers stop finding the instance. Curator then opens a new
 * session and {@code ServiceDiscovery} registers the instance again on its own (it re-registers on every
 * reconnect), so the instance comes back under the same id without the service doing anything.
 */
@ZkCluster(nodes = 3)
class ServiceReregistrationExample {

    @Test
    void anExpiredInstanceDisappearsAndReRegistersItself(
            ZkEnsemble zk, CuratorFramework provider, CuratorFramework consumer) throws Exception {
        ServiceInstance<Void> instance = ServiceInstance.<Void>builder()
                .name("orders")
                .address("10.0.0.7")
                .port(8080)
                .build();
        String znode = "/services/orders/" + instance.getId();
        List<String> events = new CopyOnWriteArrayList<>(); // what a consumer's watch sees, in order

        try (ServiceDiscovery<Void> registry = ServiceDiscoveryBuilder.builder(Void.class)
                        .client(provider)
                        .basePath("/services")
                        .thisInstance(instance)
                        .build();
                ServiceDiscovery<Void> lookup = ServiceDiscoveryBuilder.builder(Void.class)
                        .client(consumer)
                        .basePath("/services")
                        .build();
                CuratorCache watch = CuratorCache.build(consumer, "/services/orders")) {
            watch.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forCreates(node -> events.add("registered " + node.getPath()))
                            .forDeletes(node -> events.add("gone " + node.getPath()))
                            .build());
            watch.start();
            registry.start(); // registers thisInstance
            lookup.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> lookup.queryForInstances("orders").size() == 1);

            zk.expireSession(provider.getZookeeperClient().getZooKeeper().getSessionId());

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(events)
                            .filteredOn(event -> event.endsWith(znode)) // not the parent's creation
                            .containsExactly("registered " + znode, "gone " + znode, "registered " + znode));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> lookup.queryForInstances("orders").size() == 1);
            assertThat(lookup.queryForInstance("orders", instance.getId()).getPort())
                    .isEqualTo(8080);
        }
    }
}
