package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server ids chosen at build time: an ensemble numbered from another id than 1, as after TestingCluster's specs. */
class ServerIdsTests {

    @Test
    void anEnsembleNumberedFrom4ServesWithThoseIdsAndAddsFromThere() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().firstId(4).voters(3).observers(1).start()) {
            assertThat(zk.nodes()).map(ZkNode::id).containsExactly(4, 5, 6, 7);
            assertThat(zk.voters()).map(ZkNode::id).containsExactly(4, 5, 6);
            assertThat(zk.observers()).map(ZkNode::id).containsExactly(7);
            assertThat(zk.awaitLeader().id()).isBetween(4, 6);
            assertThat(Files.readString(zk.node(5).status().dataDir().resolve("myid"), StandardCharsets.US_ASCII))
                    .isEqualTo("5\n");
            assertThat(zk.node(4).fourLetterWord("conf")).contains("serverId=4");
            assertThatThrownBy(() -> zk.node(1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no node with id 1 in " + zk.name() + "; ids are [4, 5, 6, 7]");

            ZkNode added = zk.addVoter();
            assertThat(added.id()).isEqualTo(8);
            zk.reset();
            assertThat(zk.nodes()).map(ZkNode::id).isEqualTo(List.of(4, 5, 6, 7));
        }
    }

    @Test
    void badIdsAreRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> ZkEnsemble.builder().firstId(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("firstId must be between 1 and 225 (ids of up to 30 servers must stay below 255 for"
                        + " ZooKeeper's myid), got 0");
        assertThatThrownBy(() -> ZkEnsemble.builder().firstId(226)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkEnsemble.builder()
                        .firstId(4)
                        .voters(3)
                        .serverSetting(2, "syncEnabled", "false")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serverSetting names server 2 but ids run 4..6");
    }
}
