package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.curator.ZkCurator;
import io.github.zkharness.junit5.ZkClusterExtension;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that cannot reach its peers (a firewall that blocks the quorum and election ports, not the client
 * port) has no quorum on its side: it stops serving while the majority carries on. Its clients move to other
 * servers with their sessions, so their ephemeral nodes survive, provided the session timeout covers the move
 * (ZooKeeper's client waits up to a second before each reconnect). Once the firewall is fixed, it rejoins.
 */
class FirewalledNodeExample {

    @RegisterExtension // sessions of 200 ms to 10 s: the injected client (asking for 30 s) gets 10 s
    static ZkClusterExtension cluster = ZkClusterExtension.builder()
            .configure(b -> b.sessionTimeouts(Duration.ofMillis(200), Duration.ofSeconds(10)))
            .build();

    @Test
    void aFirewalledNodeDropsOutItsClientsMoveAndItRejoins(ZkEnsemble zk, CuratorFramework client) throws Exception {
        client.create().withMode(CreateMode.EPHEMERAL).forPath("/worker-1");
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        ZkNode firewalled = serverOf(zk, session).orElseThrow(); // the server this client talks to

        try (Fault firewall = zk.network().isolate(firewalled)) { // peers unreachable, clients still welcome
            firewalled.awaitNotServing(Duration.ofSeconds(10)); // no quorum: it stops
            zk.awaitLeader(Duration.ofSeconds(10)); // the other two carry on

            client.create().forPath("/written-meanwhile"); // Curator retries on another server
            assertThat(serverOf(zk, session)).isPresent().get().isNotEqualTo(firewalled);
            assertThat(client.getZookeeperClient().getZooKeeper().getSessionId())
                    .isEqualTo(session);
            assertThat(client.checkExists().forPath("/worker-1")).isNotNull(); // same session, node kept
        } // the firewall is fixed

        firewalled.awaitServing(Duration.ofSeconds(10)); // it rejoins and catches up
        try (CuratorFramework direct = ZkCurator.newClient(firewalled)) { // this server alone, connected
            assertThat(direct.checkExists().forPath("/written-meanwhile")).isNotNull();
        }
    }

    /** The server that holds the session's connection now, as its {@code cons} four-letter word lists it. */
    private static Optional<ZkNode> serverOf(ZkEnsemble zk, long sessionId) {
        String sid = "sid=0x" + Long.toHexString(sessionId);
        return zk.nodes().stream()
                .filter(n -> n.state() == NodeState.RUNNING
                        && n.fourLetterWord("cons").contains(sid))
                .findFirst();
    }
}
