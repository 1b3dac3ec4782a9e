package io.github.zkharness.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import java.nio.file.Files;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * What a real deployment must get right on every server, shown as the harness wrote it: a {@code myid} file in
 * the server's {@code dataDir} holding its id, and the same membership everywhere, one
 * {@code server.<id>=<host>:<quorum port>:<election port>:<role>;<client address>} line per server. The server
 * reports its id and membership through the {@code conf} four-letter word, and clients read the membership
 * from {@code /zookeeper/config}; they must all agree with the {@code myid} files.
 */
@ZkCluster(nodes = 3)
class MyidAndConfigExample {

    @Test
    void everyServerHoldsItsIdAndTheWholeEnsembleAgrees(ZkEnsemble zk, ZooKeeper client) throws Exception {
        String config = new String(client.getConfig(false, null), UTF_8); // /zookeeper/config
        for (ZkNode node : zk.nodes()) {
            // <dataDir>/myid: the id, nothing else ("2\n")
            assertThat(Files.readString(node.status().dataDir().resolve("myid")).trim())
                    .isEqualTo(String.valueOf(node.id()));

            String line = "server." + node.id() + "=127.0.0.1:" + node.status().quorumPort() + ":"
                    + node.status().electionPort() + ":participant;127.0.0.1:"
                    + node.status().clientAddress().getPort();
            assertThat(config).contains(line); // every client sees every server ...

            String conf = node.fourLetterWord("conf"); // ... and each server says who it is
            assertThat(conf)
                    .contains(
                            "serverId=" + node.id(), "dataDir=" + node.status().dataDir());
            assertThat(membership(conf)).isEqualTo(membership(config));
        }
    }

    /** The {@code server.N=...} lines of a configuration, sorted. */
    private static List<String> membership(String configuration) {
        return configuration
                .lines()
                .filter(l -> l.startsWith("server."))
                .sorted()
                .toList();
    }
}
