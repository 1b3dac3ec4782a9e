package io.github.zkharness.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.check.ZooKeeperConsistency;
import io.github.zkharness.history.Entry;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Operations;
import io.github.zkharness.history.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTests {

    /** A sample: node 1 leads, is partitioned away, node 3 takes over; a follower serves a stale read; two lock holders overlap. */
    static History sample() {
        List<Entry> e = new ArrayList<>();
        long ms = 1_000_000L;
        e.add(new Event(e.size(), 0, "node-1", History.ROLE, "LEADER"));
        e.add(new Event(e.size(), 0, "node-2", History.ROLE, "FOLLOWER"));
        e.add(new Event(e.size(), 0, "node-3", History.ROLE, "FOLLOWER"));
        e.add(new Event(e.size(), 5 * ms, "process-1", History.LOCK_ACQUIRED, "job-lock"));
        e.add(new Event(e.size(), 300 * ms, "chaos", History.FAULT_START, "isolate node-1"));
        e.add(new Event(e.size(), 420 * ms, "node-2", History.ROLE, "LOOKING"));
        e.add(new Event(e.size(), 420 * ms, "node-3", History.ROLE, "LOOKING"));
        e.add(new Event(e.size(), 640 * ms, "node-3", History.ROLE, "LEADER"));
        e.add(new Event(e.size(), 640 * ms, "node-2", History.ROLE, "FOLLOWER"));
        e.add(new Event(e.size(), 660 * ms, "process-2", History.LOCK_ACQUIRED, "job-lock"));
        e.add(new Event(e.size(), 700 * ms, "node-1", History.ROLE, "LOOKING"));
        e.add(new Event(e.size(), 760 * ms, "process-1", History.LOCK_LOST, "job-lock"));
        e.add(new Event(e.size(), 900 * ms, "chaos", History.FAULT_END, "isolate node-1"));
        e.add(new Event(e.size(), 950 * ms, "node-1", History.ROLE, "FOLLOWER"));
        e.add(new Event(e.size(), 1100 * ms, "process-2", History.LOCK_RELEASED, "job-lock"));
        int v = 0;
        for (int p = 1; p <= 3; p++) {
            long t = 10 * ms * p;
            for (int i = 0; i < 14; i++) {
                long d = (20 + (i * 7 + p * 13) % 40) * ms;
                boolean cut = p == 1 && t > 300 * ms && t < 900 * ms; // p1 is on node 1: its writes time out
                if (i % 3 == 0 || cut) {
                    e.add(new Operation(
                            e.size(),
                            p,
                            OpKind.WRITE,
                            "x",
                            "v" + (++v),
                            null,
                            cut ? Outcome.UNKNOWN : Outcome.OK,
                            null,
                            cut ? "ConnectionLoss" : null,
                            t,
                            cut ? t + 120 * ms : t + d));
                    t += cut ? 140 * ms : d + 8 * ms;
                } else {
                    e.add(new Operation(
                            e.size(), p, OpKind.READ, "x", null, null, Outcome.OK, "v" + v, null, t, t + d / 2));
                    t += d / 2 + 8 * ms;
                }
            }
        }
        // the stale read: p3 reads an old value after a newer write completed
        e.add(new Operation(e.size(), 3, OpKind.READ, "x", null, null, Outcome.OK, "v1", null, 1150 * ms, 1160 * ms));
        e.add(new Operation(
                e.size(), 2, OpKind.CAS, "y", "b", "a", Outcome.FAIL, null, "value was absent", 1150 * ms, 1170 * ms));
        e.add(new Operation(
                e.size(), 2, OpKind.WRITE, "y", "c", null, Outcome.UNKNOWN, null, "not completed", 1180 * ms, -1));
        return History.of(e);
    }

    @Test
    void writesOneSelfContainedFileWithLanesBandsBarsAndTheCounterexample() throws Exception {
        History h = sample();
        List<CheckResult> results = List.of(
                Linearizability.register().check(h),
                ZooKeeperConsistency.of().check(h),
                MutualExclusion.of().check(h));
        Path file = Timeline.write(h, results, Path.of("target", "timeline", "sample.html"));
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).doesNotContain("src=").doesNotContain("href=");
        assertThat(html.split("<script", -1)).hasSize(3); // the hover data and the script that shows it, inline
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
        assertThat(html).contains(">node-1<", ">node-3<", ">p1<", ">p2<", ">p3<", ">faults<");
        assertThat(html).contains("class='fault'", "isolate node-1");
        assertThat(html).contains("class='role LEADER'", "class='role LOOKING'");
        assertThat(html)
                .contains("class='bar ok'", "class='bar fail'", "class='bar unknown'", "class='op unknown open");
        assertThat(html).contains("class='lock'");
        assertThat(html).contains(" cx'", "INVALID linearizability", "INVALID mutual-exclusion");
        // the counterexample's operations are marked: outlined, with titles of their own
        CheckResult invalid = results.get(0);
        assertThat(invalid.counterexample()).isNotEmpty();
        for (var o : invalid.counterexample()) {
            assertThat(html)
                    .contains("<title>in the counterexample: "
                            + TimelineText.describe(o).replace(">", "&gt;").replace("\"", "&quot;"));
        }
        // every other operation's description is in the hover data, in JSON
        assertThat(html)
                .contains(
                        "[[16,\"read x OK -\\u003e \\\"v1\\\"\",51000,20000,2,\"write x \\\"v2\\\" OK\",39500,54000,");
        assertThat(Timeline.render(h, results)).isEqualTo(html); // deterministic
    }

    @Test
    void aValidLinearizabilityResultMarksWhereEachOperationTookEffect() {
        Operations ops = new Operations();
        // the read returns the initial value though it overlaps the write: it took effect first
        History h = History.of(List.of(
                ops.write(1, "x", "1").between(1_000_000, 9_000_000).ok(),
                ops.read(2, "x").between(3_000_000, 4_000_000).ok(null),
                ops.read(3, "x").between(10_000_000, 11_000_000).ok("1")));
        CheckResult valid = Linearizability.register().check(h);
        assertThat(valid.linearization().get("x")).extracting(Operation::id).containsExactly(1L, 0L, 2L);

        String html = Timeline.render(h, List.of(valid));

        // one stroke per operation: the read at its invocation (3 ms), the write at the read's point, the last read at
        // its invocation (10 ms)
        assertThat(html.split("<path class='lp' ", -1)).hasSize(4);
        assertThat(html).contains("linearization point");
        String invalidHtml = Timeline.render(
                h,
                List.of(Linearizability.register()
                        .check(History.of(List.of(
                                ops.write(1, "y", "1").between(0, 1_000).ok(),
                                ops.read(2, "y").between(2_000, 3_000).ok("2"))))));
        assertThat(invalidHtml).doesNotContain("<path class='lp' ");
    }

    @Test
    void aNodesLaneNamesTheVersionItRanFirstAndMarksEachUpgrade() {
        History h = History.of(List.of(
                new Operation(0, 1, OpKind.WRITE, "x", "1", null, Outcome.OK, null, null, 1_000_000, 2_000_000),
                new Event(1, 0, "node-1", History.VERSION, "3.8.6"),
                new Event(2, 0, "node-2", History.VERSION, "3.8.6"),
                new Event(3, 0, "node-2", History.ROLE, "LEADER"),
                new Event(4, 5_000_000, "node-1", History.VERSION, "3.9.5")));

        String html = Timeline.render(h, List.of());

        // a lane for node-1 though it has no role events, labelled with its first version
        assertThat(html).contains(">node-1 3.8.6</text>").contains(">node-2 3.8.6</text>");
        assertThat(html).contains("node-1 runs ZooKeeper 3.9.5 from 5.000 ms").contains(">3.9.5</text>");
        assertThat(html).doesNotContain("node-2 runs ZooKeeper"); // no mark where nothing changed
        assertThat(html).doesNotContain("class='tick'"); // versions are not drawn as ticks
    }

    @Test
    void timesThatCloseAreShownToTheMicrosecond() {
        History h = History.of(List.of(
                new Operation(0, 1, OpKind.WRITE, "x", "1", null, Outcome.OK, null, null, 100_000, 150_000),
                new Operation(1, 2, OpKind.READ, "x", null, null, Outcome.OK, "1", null, 151_000, 152_500),
                new Event(2, 120_400, "test", History.FAULT_START, "isolate node 1"),
                new Event(3, 140_900, "test", History.FAULT_END, "isolate node 1")));

        String html = Timeline.render(h, List.of());

        // the hover data: id, what, invocation (µs after the previous one's completion) and duration in µs
        assertThat(html).contains("[[0,\"write x \\\"1\\\" OK\",100,50],[1,\"read x OK -\\u003e \\\"1\\\"\",151,2]]");
        assertThat(html).contains("test: isolate node 1\n0.120 ms to 0.141 ms");
        assertThat(html).contains(">0.02<", ">0.14<"); // the axis in steps of 20 µs
    }

    /**
     * A generated chaos-like history of {@code count} operations: 10 processes on 5 keys, 0.05 to 5 ms each, a few
     * unknown, three nodes changing roles and a fault every 500 operations (seeded, so always the same).
     */
    static History generated(int count) {
        java.util.Random random = new java.util.Random(24);
        List<Entry> e = new ArrayList<>();
        long[] t = new long[11];
        int[] value = new int[5];
        for (int i = 0; i < count; i++) {
            int p = 1 + random.nextInt(10);
            int k = random.nextInt(5);
            long from = t[p] + 20_000 + random.nextInt(400_000);
            long to = from + 50_000 + random.nextInt(5_000_000);
            t[p] = to;
            if (i % 500 == 0) {
                e.add(new Event(e.size(), from, "chaos", History.FAULT_START, "kill node " + (1 + i / 500 % 3)));
                e.add(new Event(
                        e.size(), from + 80_000_000L, "chaos", History.FAULT_END, "kill node " + (1 + i / 500 % 3)));
                e.add(new Event(e.size(), from, "node-" + (1 + i / 500 % 3), History.ROLE, "STOPPED"));
                e.add(new Event(e.size(), from + 90_000_000L, "node-" + (1 + i / 500 % 3), History.ROLE, "FOLLOWER"));
            }
            boolean unknown = random.nextInt(50) == 0;
            if (random.nextBoolean()) {
                value[k]++;
                e.add(new Operation(
                        e.size(),
                        p,
                        OpKind.WRITE,
                        "k" + k,
                        p + "-" + value[k],
                        null,
                        unknown ? Outcome.UNKNOWN : Outcome.OK,
                        null,
                        unknown ? "ConnectionLoss" : null,
                        from,
                        to));
            } else {
                e.add(new Operation(
                        e.size(),
                        p,
                        OpKind.READ,
                        "k" + k,
                        null,
                        null,
                        unknown ? Outcome.FAIL : Outcome.OK,
                        unknown ? null : "x-" + value[k],
                        unknown ? "ConnectionLoss" : null,
                        from,
                        to));
            }
        }
        return History.of(e);
    }

    @Test
    void tenThousandOperationsStayWellUnderOneMegabyte() throws Exception {
        History h = generated(10_000);
        Path file = Timeline.write(h, List.of(), Path.of("target", "timeline", "generated-10000.html"));
        long size = Files.size(file);
        System.out.println("timeline of 10,000 operations: " + size + " bytes");
        assertThat(size).isLessThan(700_000L); // 1,642,265 bytes before the compact encoding
    }
}
