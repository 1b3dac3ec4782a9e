package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.junit5.ZkCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.CloseableUtils;
import org.junit.jupiter.api.Test;

/**
 * Curator's LeaderLatch never has two holders at once, even when a partition cuts the holder (and its server) off,
 * and the majority side gets a new holder. ZooKeeper deletes the old holder's latch node only when its session
 * expires, a full session timeout after the ensemble last heard from it; its client declares itself disconnected
 * sooner (at once when its server drops it, after 2/3 of the timeout if the server just falls silent), and
 * LeaderLatch gives up leadership on that SUSPENDED state. A holder paused for longer than that gap (a long GC) can
 * still believe it leads, which is why work done as leader should be fenced, for example by znode versions.
 *
 * <p>Each candidate records what it believes in a {@link History} (leader from {@code isLeader()} until
 * {@code notLeader()}, or until its connection is no longer up), and the {@link MutualExclusion} checker reads the
 * intervals: none may overlap another candidate's.
 */
@ZkCluster(nodes = 3)
class LeaderLatchPartitionExample {

    @Test
    void neverTwoHoldersAndTheMajorityElectsANewOne(ZkEnsemble zk) throws Exception {
        History history = new History();
        List<CuratorFramework> clients = new ArrayList<>();
        List<LeaderLatch> latches = new ArrayList<>();
        try {
            for (ZkNode server : zk.nodes()) { // one candidate process per server
                CuratorFramework client = clientOf(server);
                clients.add(client);
                LeaderLatch latch = new LeaderLatch(client, "/election", String.valueOf(server.id()));
                latches.add(latch);
                recordLeadership(latch, client, history, server.id());
                latch.start();
            }
            LeaderLatch old = await().atMost(Duration.ofSeconds(10))
                    .until(() -> holders(latches), h -> h.size() == 1)
                    .get(0);

            try (Fault cutOff = zk.network().isolate(zk.node(Integer.parseInt(old.getId())))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> !old.hasLeadership()); // SUSPENDED: gives up
                LeaderLatch next = await().atMost(Duration.ofSeconds(20)) // once the old session expired
                        .until(() -> holders(latches), h -> h.size() == 1)
                        .get(0);
                assertThat(next).isNotSameAs(old);
                assertThat(zk.node(Integer.parseInt(next.getId())).isServing()).isTrue(); // the majority side
            }

            zk.awaitServing(); // healed: the old one queues up again
            await().atMost(Duration.ofSeconds(10)).until(() -> holders(latches).size() == 1);
            CheckResult neverTwo = MutualExclusion.of().check(history);
            assertThat(neverTwo.isValid()).as(neverTwo.toString()).isTrue();
            assertThat(history.events())
                    .filteredOn(e -> e.kind().equals(History.LOCK_ACQUIRED))
                    .extracting(Event::source)
                    .doesNotHaveDuplicates()
                    .hasSizeGreaterThanOrEqualTo(2); // old and new
        } finally {
            latches.forEach(CloseableUtils::closeQuietly);
            clients.forEach(CloseableUtils::closeQuietly);
        }
    }

    /** What a candidate believes, as a service using it would act on it. */
    private static void recordLeadership(LeaderLatch latch, CuratorFramework client, History history, int process) {
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                history.acquired(process, "leader");
            }

            @Override
            public void notLeader() {
                history.released(process, "leader");
            }
        });
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (!state.isConnected() && latch.hasLeadership()) {
                history.lost(process, "leader"); // a service must stop acting as leader now
            }
        });
    }

    /**
     * A client of {@code server} alone, so that it sits on its server's side of a partition. Curator would otherwise
     * learn the other servers from {@code /zookeeper/config} and move to them (its ensemble tracker).
     */
    private static CuratorFramework clientOf(ZkNode server) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(server.connectString())
                .ensembleTracker(false)
                .sessionTimeoutMs(2_000) // the most this ensemble grants (20 ticks): the old holder's grace
                .retryPolicy(new ExponentialBackoffRetry(100, 10))
                .build();
        client.start();
        return client;
    }

    private static List<LeaderLatch> holders(List<LeaderLatch> latches) {
        return latches.stream().filter(LeaderLatch::hasLeadership).toList();
    }
}
