package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Faults made directly through the public API, recorded in an attached history with their effect windows. */
class FaultRecordingTests {

    @Test
    void faultsMadeDirectlyAreRecordedWithTheEndOfTheirActionAndOfTheirEffect() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "test")) {
            try (Fault f = zk.network().isolate(zk.node(1))) {
                zk.await(
                        "node 1 not serving",
                        Duration.ofSeconds(10),
                        () -> !zk.node(1).isServing());
            }
            zk.node(2).kill();
            zk.node(2).restart();
            try (Fault f = zk.node(3).disk().slowLog(Duration.ofMillis(5), Duration.ZERO)) {
                zk.awaitServing();
            }
            try (ZooKeeper client = zk.newZooKeeper()) {
                zk.await("a session", Duration.ofSeconds(10), () -> client.getSessionId() != 0);
                zk.expireSession(client.getSessionId());
                String expire = "expire session 0x" + Long.toHexString(client.getSessionId());
                for (String fault : List.of("isolate node 1", "kill node 2", expire)) {
                    zk.await(
                            fault + " recorded to the end of its effect",
                            Duration.ofSeconds(20),
                            () -> history.events().stream()
                                    .anyMatch(e -> e.kind().equals(History.FAULT_EFFECT_END)
                                            && e.description().equals(fault)));
                    List<Event> band = history.events().stream()
                            .filter(e -> e.description().equals(fault))
                            .toList();
                    assertThat(band)
                            .extracting(Event::source, Event::kind)
                            .as(fault)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple("test", History.FAULT_START),
                                    org.assertj.core.groups.Tuple.tuple("test", History.FAULT_END),
                                    org.assertj.core.groups.Tuple.tuple("test", History.FAULT_EFFECT_END));
                    assertThat(band.get(2).timeNanos())
                            .isGreaterThanOrEqualTo(band.get(1).timeNanos());
                }
            }
            assertThat(history.events())
                    .filteredOn(e -> e.kind().equals(History.FAULT_START))
                    .extracting(Event::description)
                    .anyMatch(d -> d.contains("slow") && d.contains("3"));
        }
    }

    @Test
    void aDirectExpiryIsNamedByMutualExclusionForAnOverlapRightAfterIt() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "test");
                ZooKeeper holder = zk.newZooKeeper()) {
            zk.await("a session", Duration.ofSeconds(10), () -> holder.getSessionId() != 0);
            history.acquired(1, "lock");
            zk.expireSession(holder.getSessionId());
            history.acquired(2, "lock"); // the ephemeral is gone: a second process takes the lock
            history.lost(1, "lock"); // the first one hears of it later
            CheckResult r = MutualExclusion.of().check(history);
            assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
            assertThat(r.explanation())
                    .contains("expire session 0x" + Long.toHexString(holder.getSessionId()) + " (from ")
                    .contains("a lock needs fencing");
        }
    }

    @Test
    void recordingClosedRecordsNothingMoreAndBadInputIsNamed() {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            ZkEnsemble.FaultRecording recording = zk.recordFaults(history, "test");
            zk.recordFaults(history, "other").close(); // attached already: nothing twice, the first stays
            zk.network().cutClients(zk.node(1)).heal();
            recording.close();
            recording.close();
            zk.network().cutClients(zk.node(1)).heal();
            assertThat(history.events())
                    .filteredOn(e -> e.kind().equals(History.FAULT_START))
                    .extracting(Event::source, Event::description)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("test", "cut clients of node 1"));
            assertThatThrownBy(() -> zk.recordFaults(null, "test"))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("history must not be null");
            assertThatThrownBy(() -> zk.recordFaults(history, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("source must not be null");
            assertThatThrownBy(() -> zk.recordFaults(history, " "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("source must not be blank, got \" \"");
        }
    }
}
