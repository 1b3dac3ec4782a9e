package io.github.zkharness.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.junit.jupiter.api.Test;

/**
 * A configuration watcher (Curator's {@code CuratorCache}) sees every update, in order, across a leader failover
 * and a follower restart, although each of them drops client connections. A watch queues nothing for a client
 * that is away: {@code CuratorCache} re-reads the node whenever its client reconnects, so it always ends up with
 * the latest value, but several updates made while it was away arrive as one. Here each update is seen before the
 * next is written, as with configuration that changes now and then.
 */
@ZkCluster(nodes = 3)
class ConfigWatcherFailoverExample {

    @Test
    void aWatcherSeesEveryUpdateAcrossFailoverAndRestart(
            ZkEnsemble zk, CuratorFramework writer, CuratorFramework service) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (CuratorCache config = CuratorCache.build(service, "/config/flags")) {
            config.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forCreatesAndChanges((before, now) -> seen.add(new String(now.getData(), UTF_8)))
                            .build());
            config.start();

            writer.create().creatingParentsIfNeeded().forPath("/config/flags", "v1".getBytes(UTF_8));
            awaitSeen(seen, "v1");

            ZkNode old = zk.leader().kill(); // every follower drops its clients to re-elect
            writer.setData().forPath("/config/flags", "v2".getBytes(UTF_8)); // Curator retries meanwhile
            awaitSeen(seen, "v2");
            old.restart().awaitServing(Duration.ofSeconds(10));

            ZkNode follower = zk.followers().get(0).stop();
            writer.setData().forPath("/config/flags", "v3".getBytes(UTF_8));
            awaitSeen(seen, "v3");
            follower.restart().awaitServing(Duration.ofSeconds(10));
            writer.setData().forPath("/config/flags", "v4".getBytes(UTF_8));
            awaitSeen(seen, "v4");

            assertThat(seen).containsExactly("v1", "v2", "v3", "v4");
        }
    }

    private static void awaitSeen(List<String> seen, String value) {
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(value));
    }
}
