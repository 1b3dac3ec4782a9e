package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract partitions rest on: no peer socket goes around the links. ZooKeeper dials some election
 * connections back to the address a peer advertises; a proxy that only rewrote the peers' views would be
 * bypassed for about half the pairs, and partitions would leak.
 */
class LinkContractTests {

    @Test
    void everyConnectionIntoAPeerPortComesFromALink() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(5).observers(1).start()) {
            assertThroughLinks(zk);
            zk.leader().kill().restart(); // a new election: dial-backs between every pair of peers
            zk.awaitServing(Duration.ofSeconds(20));
            zk.node(1).kill().restart(); // the lowest id, whose dials the higher ids drop and return
            zk.awaitServing(Duration.ofSeconds(20));
            assertThroughLinks(zk);
        }
    }

    /**
     * Reads the kernel's table of this host's TCP connections: established connections into a peer's election
     * or quorum port must equal the connections the links forward (a link's outgoing socket is the only thing
     * that should ever connect to a peer port). A surplus went around the links.
     */
    static void assertThroughLinks(ZkEnsemble zk) {
        Set<Integer> peerPorts = new HashSet<>();
        for (ZkNode node : zk.nodes()) {
            peerPorts.add(node.status().quorumPort());
            peerPorts.add(node.status().electionPort());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            int intoPeerPorts = 0;
            java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
            if (Files.exists(Path.of("/proc/net/tcp6"))) { // Java's sockets are dual-stack: IPv4 shows up here too
                lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("01")) { // 01 = ESTABLISHED
                    continue;
                }
                int localPort = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                if (peerPorts.contains(localPort)) {
                    intoPeerPorts++;
                }
            }
            assertEquals(
                    zk.linkedPeerConnections(),
                    intoPeerPorts,
                    "connections the links forward vs established connections into peer ports; nodes: "
                            + zk.describe());
        });
    }
}
