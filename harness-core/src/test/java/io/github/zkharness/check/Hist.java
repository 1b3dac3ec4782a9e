package io.github.zkharness.check;

import io.github.zkharness.history.Entry;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Hand-built histories for tests; times are in milliseconds. */
final class Hist {

    private final List<Entry> entries = new ArrayList<>();

    private long id() {
        return entries.size();
    }

    private static long ns(long ms) {
        return ms * 1_000_000L;
    }

    Hist write(int p, String key, String value, long from, long to) {
        entries.add(new Operation(id(), p, OpKind.WRITE, key, value, null, Outcome.OK, null, null, ns(from), ns(to)));
        return this;
    }

    Hist writeFailed(int p, String key, String value, long from, long to) {
        entries.add(new Operation(
                id(), p, OpKind.WRITE, key, value, null, Outcome.FAIL, null, "BadVersion", ns(from), ns(to)));
        return this;
    }

    /** A write that timed out at {@code to}: it may take effect any time after {@code from}. */
    Hist writeUnknown(int p, String key, String value, long from, long to) {
        entries.add(new Operation(
                id(), p, OpKind.WRITE, key, value, null, Outcome.UNKNOWN, null, "ConnectionLoss", ns(from), ns(to)));
        return this;
    }

    Hist read(int p, String key, String result, long from, long to) {
        entries.add(new Operation(id(), p, OpKind.READ, key, null, null, Outcome.OK, result, null, ns(from), ns(to)));
        return this;
    }

    Hist cas(int p, String key, String expected, String value, long from, long to) {
        entries.add(new Operation(id(), p, OpKind.CAS, key, value, expected, Outcome.OK, null, null, ns(from), ns(to)));
        return this;
    }

    Hist event(String source, String kind, String description, long at) {
        entries.add(new Event(id(), ns(at), source, kind, description));
        return this;
    }

    History build() {
        return History.of(entries);
    }
}
