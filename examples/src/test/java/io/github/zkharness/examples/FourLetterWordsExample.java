package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import org.junit.jupiter.api.Test;

/**
 * What monitoring asks a server, with ZooKeeper's own answers: {@code ruok} says whether it runs, {@code srvr}
 * and {@code stat} its role ({@code Mode:}), {@code mntr} its state as key-value lines, and the leader's
 * {@code mntr} how many followers are in sync. Servers answer only the words in
 * {@code 4lw.commands.whitelist} (ZooKeeper's default is {@code srvr} alone); anything else gets a refusal.
 * ZooKeeper keeps that list JVM-wide, so the restricted ensemble runs alone and is closed within its test.
 */
class FourLetterWordsExample {

    @Test
    @ZkCluster(nodes = 4, observers = 1) // 3 voters and 1 observer, this test's own ensemble, closed when it ends
    void wordsTellHealthRoleAndSync(ZkEnsemble zk) {
        ZkNode leader = zk.leader();
        ZkNode follower = zk.followers().get(0);
        ZkNode observer = zk.observers().get(0);

        assertThat(follower.fourLetterWord("ruok")).isEqualTo("imok");
        assertThat(leader.fourLetterWord("srvr")).contains("Mode: leader");
        assertThat(follower.fourLetterWord("stat")).contains("Mode: follower");
        assertThat(observer.fourLetterWord("srvr")).contains("Mode: observer");

        assertThat(follower.fourLetterWord("mntr")).contains("zk_server_state\tfollower");
        assertThat(leader.fourLetterWord("mntr"))
                .contains(
                        "zk_server_state\tleader",
                        "zk_synced_followers\t2", // voters in sync with the leader; observers are not counted here
                        "zk_learners\t3"); // ... but here they are
    }

    @Test
    void aWordOutsideTheWhitelistIsRefused() {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(1).fourLetterWords("ruok", "srvr").start()) {
            ZkNode node = zk.node(1);
            assertThat(node.fourLetterWord("ruok")).isEqualTo("imok");
            assertThat(node.fourLetterWord("srvr")).startsWith("Zookeeper version: 3.9.5");
            assertThat(node.fourLetterWord("mntr"))
                    .isEqualTo("mntr is not executed because it is not in the whitelist.\n");
        }
    }
}
