package io.github.zkharness.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Checker;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.check.ZooKeeperConsistency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonTests {

    @Test
    void aRecordedHistoryComesBackEntryForEntryAndGetsTheSameVerdicts(@TempDir Path dir) throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ExecutorService processes = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                int process = p;
                String node = zk.node(p).connectString();
                done.add(processes.submit(() -> {
                    try (ZooKeeper client = zk.newZooKeeper(node)) {
                        ZkRegisterClient register = new ZkRegisterClient(client, process, history, "/json");
                        for (int i = 0; i < 30; i++) {
                            String key = "k" + (i % 2);
                            switch (i % 3) {
                                case 0 -> register.write(key, process + "-" + i);
                                case 1 -> register.read(key, process == 2);
                                default -> register.cas(key, process + "-" + (i - 2), process + "-" + i);
                            }
                        }
                    }
                    return null;
                }));
                if (p == 2) {
                    history.faultStarted("test", "nothing \"quoted\"\tand\nnew lines \\ é");
                }
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            processes.shutdown();
            history.faultEnded("test", "nothing \"quoted\"\tand\nnew lines \\ é");
        }
        history.acquired(1, "lock");
        history.released(1, "lock");

        History back = HistoryJson.read(HistoryJson.write(history, dir.resolve("bug/history.json")));

        assertThat(back.entries())
                .isEqualTo(history.entries())
                .hasSize(history.entries().size());
        for (Checker checker : List.of(Linearizability.register(), ZooKeeperConsistency.of(), MutualExclusion.of())) {
            CheckResult original = checker.check(history);
            CheckResult again = checker.check(back);
            assertThat(again.verdict()).isEqualTo(original.verdict());
            assertThat(again.counterexample()).isEqualTo(original.counterexample());
            assertThat(withoutTimings(again.toString())).isEqualTo(withoutTimings(original.toString()));
        }
        assertThat(entriesOf(HistoryJson.toJson(back))).isEqualTo(entriesOf(HistoryJson.toJson(history)));
    }

    /** A verdict's text without how long its searches took, which differs from one run to the next. */
    private static String withoutTimings(String text) {
        return text.replaceAll("in [0-9.]+ ms\\)", "in (time) ms)");
    }

    /** The JSON from the entries on: the imported history's clock (startedAt) starts when it is read. */
    private static String entriesOf(String json) {
        return json.substring(json.indexOf("\"entries\""));
    }

    @Test
    void aFailingHistoryRoundTripsToTheSameCounterexample() {
        Operations ops = new Operations();
        History stale = History.of(List.of(
                ops.write(1, "x", "1").between(0, 10).ok(),
                ops.event(5, "chaos", History.FAULT_START, "isolate node 3"),
                ops.read(2, "x").between(20, 30).ok(null),
                ops.cas(3, "x", null, "2").pending(40)));
        CheckResult original = Linearizability.register().check(stale);
        CheckResult again = Linearizability.register().check(HistoryJson.fromJson(HistoryJson.toJson(stale)));
        assertThat(again.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(again.counterexample()).isEqualTo(original.counterexample()).isNotEmpty();
    }

    @Test
    void theFormatIsOneObjectWithOneEntryALine() {
        Operations ops = new Operations();
        History h = History.of(
                List.of(ops.write(1, "x", "1").between(0, 10).ok(), ops.event(5, "node-1", History.ROLE, "LEADER")));
        String json = HistoryJson.toJson(h);
        assertThat(json)
                .startsWith("{\"format\": \"zk-harness-history\", \"version\": 1, \"startedAt\": \"")
                .endsWith("\n]}\n")
                .contains("\n{\"type\": \"op\", \"id\": 0, \"process\": 1, \"kind\": \"write\", \"key\": \"x\","
                        + " \"value\": \"1\", \"expected\": null, \"outcome\": \"OK\", \"result\": null, \"reason\":"
                        + " null, \"invokeNanos\": 0, \"completeNanos\": 10},\n")
                .contains("\n{\"type\": \"event\", \"id\": 1, \"timeNanos\": 5, \"source\": \"node-1\", \"kind\":"
                        + " \"role\", \"description\": \"LEADER\"}\n");
    }

    @Test
    void theReaderTakesAnyOrderAndWhitespaceAndIgnoresUnknownMembers() {
        History h = HistoryJson.fromJson("""
                { "entries" : [ { "completeNanos": -1, "invokeNanos": 7, "reason": "not completed",
                  "outcome": "UNKNOWN", "key": "k", "kind": "inc", "process": 4, "id": 9, "type": "op",
                  "note": [1, 2.5, true, false, {"a": null}] } ],
                  "version": 1, "format": "zk-harness-history" }
                """);
        assertThat(h.operations())
                .containsExactly(new Operation(
                        9, 4, OpKind.of("inc"), "k", null, null, Outcome.UNKNOWN, null, "not completed", 7, -1));
    }

    @Test
    void whatCannotBeReadIsNamedWithItsPosition() {
        assertThatThrownBy(() -> HistoryJson.fromJson("{\"format\": \"zk-harness-history\",\n \"version\" 1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a history in JSON: expected ':' at line 2, column 12, found '1}'");
        assertThatThrownBy(() -> HistoryJson.fromJson("{\"format\": \"jepsen\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a zk-harness history: \"format\" is \"jepsen\", not \"zk-harness-history\"");
        assertThatThrownBy(() -> HistoryJson.fromJson("{\"format\": \"zk-harness-history\", \"version\": 2}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this reader knows version 1 of the format, got 2");
        assertThatThrownBy(() -> HistoryJson.fromJson("{\"format\": \"zk-harness-history\", \"version\": 1,"
                        + " \"entries\": [{\"type\": \"event\", \"id\": 0, \"timeNanos\": \"5\"}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("entry 0: \"timeNanos\" must be an integer, got \"5\"");
        assertThatThrownBy(() -> HistoryJson.fromJson("[]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a history is a JSON object, got an array");
        assertThatThrownBy(() -> HistoryJson.fromJson(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("json must not be null");
    }
}
