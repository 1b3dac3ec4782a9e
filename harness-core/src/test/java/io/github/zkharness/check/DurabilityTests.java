package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import java.util.Map;
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
                .hasMessageContaining("at least one node");
    }
}
