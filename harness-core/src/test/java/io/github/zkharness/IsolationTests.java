package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Two ensembles in one JVM do not disturb each other. */
class IsolationTests {

    @Test
    void dataAndFailuresStayInTheirOwnEnsemble() throws Exception {
        try (ZkEnsemble a = ZkEnsemble.builder().voters(3).start();
                ZkEnsemble b = ZkEnsemble.builder().voters(3).start();
                ZooKeeper clientA = Clients.connect(a.connectString());
                ZooKeeper clientB = Clients.connect(b.connectString())) {
            Clients.create(clientA, "/only-in-a", "a");
            assertNull(clientB.exists("/only-in-a", false));
            a.node(1).kill();
            a.node(2).kill();
            // b's node 1 and 2 have the same ids but are other peers: b keeps serving
            Clients.create(clientB, "/b-still-writes", "b");
            assertTrue(b.nodes().stream().allMatch(ZkNode::isServing));
            a.node(3).awaitRole(Role.LOOKING, Duration.ofSeconds(10));
        }
    }

    @Test
    void concurrentEnsemblesMustAgreeOnTheJvmWideFourLetterWhitelist() {
        try (ZkEnsemble a =
                ZkEnsemble.builder().voters(1).fourLetterWords("ruok").start()) {
            ZkEnsemble b =
                    ZkEnsemble.builder().voters(1).fourLetterWords("srvr").build();
            ZkStartException e = assertThrows(ZkStartException.class, b::start);
            assertTrue(
                    e.getMessage()
                            .contains("ZooKeeper keeps the four-letter-word whitelist JVM-wide: this ensemble"
                                    + " asks for [srvr] while 1 running ensemble(s) use [ruok]"),
                    e.getMessage());
            assertEquals("imok", a.node(1).fourLetterWord("ruok"));
        }
    }
}
