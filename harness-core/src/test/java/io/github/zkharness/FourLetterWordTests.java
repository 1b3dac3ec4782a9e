package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FourLetterWordTests {

    @Test
    void wordsAnswerWithZooKeepersOwnText() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            assertEquals("imok", leader.fourLetterWord("ruok"));
            assertTrue(leader.fourLetterWord("srvr").contains("Mode: leader"));
            assertTrue(follower.fourLetterWord("stat").contains("Mode: follower"));
            String mntr = leader.fourLetterWord("mntr");
            assertTrue(mntr.contains("zk_server_state\tleader"), mntr);
            assertTrue(mntr.contains("zk_synced_followers\t2"), mntr);
            assertTrue(follower.fourLetterWord("mntr").contains("zk_server_state\tfollower"));
            String conf = follower.fourLetterWord("conf");
            assertTrue(conf.contains("serverId=" + follower.id()), conf);
            assertTrue(
                    conf.contains("server." + leader.id() + "=127.0.0.1:"
                            + leader.status().quorumPort() + ":"
                            + leader.status().electionPort() + ":participant"),
                    conf);
            for (String word : new String[] {"cons", "dump", "wchs", "envi", "srst", "crst"}) {
                assertTrue(!leader.fourLetterWord(word).isBlank(), word);
            }
        }
    }

    @Test
    void wordsOutsideTheWhitelistAreRefusedByZooKeeper() {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(1).fourLetterWords("ruok", "srvr").start()) {
            ZkNode node = zk.node(1);
            assertEquals("imok", node.fourLetterWord("ruok"));
            assertEquals("mntr is not executed because it is not in the whitelist.\n", node.fourLetterWord("mntr"));
        }
    }

    @Test
    void badWordsAreRejectedBeforeAnythingIsSent() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            ZkNode node = zk.node(1);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> node.fourLetterWord("RUOK"));
            assertEquals("a four-letter word is four lowercase letters, got \"RUOK\"", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> node.fourLetterWord("ruokay"));
            assertThrows(NullPointerException.class, () -> node.fourLetterWord(null));
        }
    }
}
