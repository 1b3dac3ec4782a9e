package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkRegisterClient;
import java.util.Map;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

class DurabilityTests {

    private final History history = new Hist()
            .write(1, "a", "1", 0, 10)
            .write(1, "a", "2", 20, 30) // definitely after 1: a must end as 2 ...
            .write(2, "b", "x", 0, 50)
            .write(3, "b", "y", 10, 40) // ... b may end as x or y (concurrent)
            .write(1, "c", "1", 0, 10)
            .writeUnknown(2, "c", "2", 20, 30) // c may end as 1 or as the unknown 2
            .writeUnknown(2, "d", "9", 0, 10) // nothing acknowledged on d: not checked
            .build();

    @Test
    void everyAcceptableLastValueOnEveryNodeIsValid() {
        CheckResult r = Durability.of(Map.of(
                        "node-1", Map.of("a", "2", "b", "x", "c", "1"),
                        "node-2", Map.of("a", "2", "b", "y", "c", "2")))
                .check(history);
        assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.VALID);
        assertThat(r.explanation()).contains("3 acknowledged keys").contains("2 nodes");
    }

    @Test
    void aLostOrOverwrittenAcknowledgedWriteIsFound() {
        CheckResult r = Durability.of(Map.of(
                        "node-1", Map.of("a", "2", "b", "x", "c", "1"),
                        "node-2", Map.of("a", "1", "c", "1")))
                .check(history);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.key()).contains("a");
        assertThat(r.explanation())
                .contains("2 acknowledged values lost")
                .contains("node-2 has a = \"1\" but it must be one of [\"2\"]")
                .contains("node-2 has b = nothing");
        assertThat(r.counterexample()).extracting(Operation::value).containsExactly("2");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> Durability.of(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("durability needs what at least one node holds, got none");
        assertThatThrownBy(() -> Durability.of((Map<String, Map<String, String>>) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("foundOnNodes must not be null");
    }

    @Test
    void readsEveryNodeOnItsOwnAndRefusesWhileOneIsDown() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = zk.newZooKeeper()) {
            History written = new History();
            ZkRegisterClient register = new ZkRegisterClient(client, 1, written, "/register");
            assertThat(register.write("a", "1").outcome()).isEqualTo(Outcome.OK);
            assertThat(register.write("b", "2").outcome()).isEqualTo(Outcome.OK);
            CheckResult r = Durability.of(zk, "/register").check(written);
            assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.VALID);
            assertThat(r.explanation()).contains("2 acknowledged keys").contains("3 nodes");

            zk.node(2).kill();
            assertThatThrownBy(() -> Durability.of(zk, "/register"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("durability reads every node, but node 2 is KILLED; restart() them and"
                            + " awaitServing() first");
            zk.node(2).restart().awaitServing();
            CheckResult elsewhere = Durability.of(zk, "/nothing-here").check(written);
            assertThat(elsewhere.verdict())
                    .as("a parent no node has holds none of the acknowledged keys: %s", elsewhere)
                    .isEqualTo(Verdict.INVALID);
        }
    }
}
