package io.github.zkharness.timeline;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where everything of one {@link Timeline} goes, computed once from a history and the check results, with nothing
 * drawn: the time scale (the end of the axis, the plot's width, a time's x, the axis step), the lanes from top to
 * bottom (faults, violations, one per node, one per process with its operations packed into rows that do not overlap)
 * and their y, the fault bands, the lock holding intervals, the INVALID results with their time spans and the
 * counterexample's operations, and the lane each other event's tick goes on. {@link TimelineHtml} draws it.
 */
final class TimelineLayout {

    /** The width of the lane labels left of the plot. */
    static final int LABEL_WIDTH = 130;
    /** The height of a node lane and of one row of a process lane. */
    static final int LANE_HEIGHT = 26;
    /** The height of the time axis above and below the lanes. */
    static final int AXIS_HEIGHT = 28;

    /** A fault from its start event to {@code to}: its end event's time, or the end of the axis. */
    record FaultBand(Event start, long to) {}

    /** A lock held by one source from {@code from} to {@code to} (the end of the axis if never released). */
    record LockHeld(long from, long to, String lock) {}

    private final History history;
    private final List<CheckResult> results;
    private final List<CheckResult> flat = new ArrayList<>();
    private final List<Operation> ops;
    private final List<Event> events;
    private final long end;
    private final int plotWidth;
    private final Map<String, List<Event>> roles = new TreeMap<>();
    private final Map<String, List<Event>> versions = new TreeMap<>();
    private final Map<Integer, List<List<Operation>>> rows = new TreeMap<>();
    private final Map<String, List<LockHeld>> locks;
    private final Set<Integer> lockProcesses = new HashSet<>();
    private final List<FaultBand> faults;
    private final int faultRows;
    private final int faultsY;
    private final List<CheckResult> invalid = new ArrayList<>();
    private final int violationsY;
    private final Map<String, Integer> nodeY = new LinkedHashMap<>();
    private final Map<Integer, Integer> processY = new LinkedHashMap<>();
    private final Set<Long> highlighted = new HashSet<>();
    /** Where each operation of a VALID linearizability result took effect, by id, in nanoseconds. */
    private final Map<Long, Long> points = new HashMap<>();

    private final int height;

    TimelineLayout(History history, List<CheckResult> results) {
        this.history = history;
        this.results = results;
        for (CheckResult r : results) {
            flat.addAll(r.flatten());
        }
        this.ops = history.operations();
        this.events = history.events();
        long last = 1;
        for (Operation o : ops) {
            last = Math.max(last, Math.max(o.invokeNanos(), o.completeNanos()));
        }
        for (Event e : events) {
            last = Math.max(last, e.timeNanos());
        }
        this.end = last + Math.max(1, last / 50);
        Map<Integer, Integer> perProcess = new HashMap<>();
        ops.forEach(o -> perProcess.merge(o.process(), 1, Integer::sum));
        int most =
                perProcess.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.plotWidth = Math.max(1240, Math.min(24_000, most * 8));

        // lanes: faults, nodes, processes
        for (Event e : events) {
            if (e.kind().equals(History.ROLE)) {
                roles.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e);
            } else if (e.kind().equals(History.VERSION)) {
                versions.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e);
            }
        }
        for (Operation o : ops) {
            List<List<Operation>> r = rows.computeIfAbsent(o.process(), p -> new ArrayList<>());
            List<Operation> fit = null;
            for (List<Operation> row : r) {
                Operation lastOp = row.get(row.size() - 1);
                if (lastOp.completeNanos() >= 0 && lastOp.completeNanos() <= o.invokeNanos()) {
                    fit = row;
                    break;
                }
            }
            if (fit == null) {
                fit = new ArrayList<>();
                r.add(fit);
            }
            fit.add(o);
        }
        this.locks = lockIntervals();
        for (String source : locks.keySet()) {
            if (source.startsWith("process-")) {
                try {
                    int p = Integer.parseInt(source.substring("process-".length()));
                    lockProcesses.add(p);
                    rows.computeIfAbsent(p, q -> new ArrayList<>());
                } catch (NumberFormatException e) {
                    // not a process lane
                }
            }
        }
        this.faults = faultBands();
        int y = AXIS_HEIGHT;
        this.faultRows = Math.max(1, Math.min(4, faults.size()));
        this.faultsY = y;
        y += faultRows * 16 + 8;
        for (CheckResult r : flat) {
            if (r.verdict() == Verdict.INVALID && r.parts().isEmpty()) {
                invalid.add(r);
            }
        }
        this.violationsY = y;
        if (!invalid.isEmpty()) {
            y += invalid.size() * 16 + 8;
        }
        Set<String> nodes = new TreeSet<>(roles.keySet());
        nodes.addAll(versions.keySet());
        for (String node : nodes) {
            nodeY.put(node, y);
            y += LANE_HEIGHT;
        }
        y += 6;
        for (Integer p : rows.keySet()) {
            processY.put(p, y);
            y += processLaneHeight(p);
        }
        this.height = y + AXIS_HEIGHT;
        for (CheckResult r : flat) {
            if (r.verdict() == Verdict.INVALID) {
                r.counterexample().forEach(o -> highlighted.add(o.id()));
            }
            r.linearization().values().forEach(this::placePoints);
        }
    }

    // ---------------------------------------------------------------------------------------------- what is drawn

    History history() {
        return history;
    }

    /** The results as given (empty: no results table). */
    List<CheckResult> results() {
        return results;
    }

    /** The results, combined ones broken into their parts. */
    List<CheckResult> flat() {
        return flat;
    }

    List<Operation> ops() {
        return ops;
    }

    List<Event> events() {
        return events;
    }

    /** The INVALID results without parts, one violation row each. */
    List<CheckResult> invalid() {
        return invalid;
    }

    List<FaultBand> faults() {
        return faults;
    }

    /** Each node lane's role events in time order, by source; a lane of versions only has none. */
    Map<String, List<Event>> roles() {
        return roles;
    }

    /** Each node lane's version events in time order, by source; a lane of roles only has none. */
    Map<String, List<Event>> versions() {
        return versions;
    }

    /** Each process's operations in rows that do not overlap, by process, in the order of {@link #processY()}. */
    Map<Integer, List<List<Operation>>> rows() {
        return rows;
    }

    /** The lock holding intervals of a source ({@code process-N}), or null. */
    @Nullable
    List<LockHeld> locksHeldBy(String source) {
        return locks.get(source);
    }

    /**
     * The earliest instants at which the operations of one key's linearization can take effect in its order: each at
     * its invocation or at the previous one's point, whichever is later (never after its completion, since the order
     * respects real time).
     */
    private void placePoints(List<Operation> order) {
        long at = Long.MIN_VALUE;
        for (Operation o : order) {
            at = Math.max(at, o.invokeNanos());
            points.put(o.id(), at);
        }
    }

    /** Where operation {@code id} took effect in a VALID linearizability result's order, or null. */
    @Nullable
    Long linearizationPoint(long id) {
        return points.get(id);
    }

    /** Whether operation {@code id} is in an INVALID result's counterexample. */
    boolean highlighted(long id) {
        return highlighted.contains(id);
    }

    /**
     * The events drawn as ticks: all but roles, versions, faults and locks (which have lanes and bands of their own).
     */
    List<Event> ticks() {
        List<Event> ticks = new ArrayList<>();
        for (Event e : events) {
            if (e.kind().equals(History.ROLE)
                    || e.kind().equals(History.VERSION)
                    || e.kind().startsWith("fault-")
                    || e.kind().startsWith("lock-")) {
                continue;
            }
            ticks.add(e);
        }
        return ticks;
    }

    // ---------------------------------------------------------------------------------------------- where

    /** The end of the time axis (nanoseconds since the history started), a little after the last entry. */
    long end() {
        return end;
    }

    /** The width of the plot, right of the lane labels. */
    int plotWidth() {
        return plotWidth;
    }

    /** The x of a time (nanoseconds since the history started); times past the end are drawn at the end. */
    double x(long nanos) {
        return LABEL_WIDTH + (double) Math.min(nanos, end) * plotWidth / end;
    }

    int width() {
        return LABEL_WIDTH + plotWidth + 20;
    }

    int height() {
        return height;
    }

    /** How many rows the fault labels take turns on (1 to 4). */
    int faultRows() {
        return faultRows;
    }

    int faultsY() {
        return faultsY;
    }

    int violationsY() {
        return violationsY;
    }

    /** Each node lane's top, by source ({@code node-N}), top to bottom. */
    Map<String, Integer> nodeY() {
        return nodeY;
    }

    /** Each process lane's top, by process, top to bottom. */
    Map<Integer, Integer> processY() {
        return processY;
    }

    /** A process lane's height: its rows, and a strip for its lock holding if it held any. */
    @SuppressWarnings("NullAway") // rows has every process a lane is drawn for
    int processLaneHeight(int process) {
        return Math.max(1, rows.get(process).size()) * LANE_HEIGHT + (lockProcesses.contains(process) ? 10 : 0);
    }

    /** The y a tick of {@code e} points at: its node's or process's lane, else the faults lane. */
    int tickY(Event e) {
        Integer ly = nodeY.get(e.source());
        if (ly == null && e.source().startsWith("process-")) {
            try {
                ly = processY.get(Integer.parseInt(e.source().substring("process-".length())));
            } catch (NumberFormatException ex) {
                ly = null;
            }
        }
        return ly == null ? faultsY : ly;
    }

    /** The axis's tick step in milliseconds: 1, 2 or 5 times a power of ten, about every 110 pixels. */
    double axisStepMs() {
        return niceStep(end / 1e6 / Math.max(4, plotWidth / 110.0));
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /**
     * The time span of an invalid result: its operations' span; for events only (mutual exclusion), from the last
     * acquisition to the first release or loss after it; null if it has neither.
     */
    long @Nullable [] span(CheckResult r) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Operation o : r.counterexample()) {
            from = Math.min(from, o.invokeNanos());
            to = Math.max(to, o.completeNanos() < 0 ? end : o.completeNanos());
        }
        if (from != Long.MAX_VALUE) {
            return new long[] {from, to};
        }
        long acquired = Long.MIN_VALUE;
        for (Event e : r.events()) {
            if (e.kind().equals(History.LOCK_ACQUIRED)) {
                acquired = Math.max(acquired, e.timeNanos());
            }
        }
        if (acquired == Long.MIN_VALUE) {
            return null;
        }
        long until = end;
        for (Event e : r.events()) {
            if ((e.kind().equals(History.LOCK_RELEASED) || e.kind().equals(History.LOCK_LOST))
                    && e.timeNanos() >= acquired) {
                until = Math.min(until, e.timeNanos());
            }
        }
        return new long[] {acquired, until};
    }

    // ---------------------------------------------------------------------------------------------- computing

    /** Fault bands: each start matched with the first unmatched end of the same source and description. */
    private List<FaultBand> faultBands() {
        List<Event> starts = new ArrayList<>();
        List<Long> tos = new ArrayList<>();
        Map<String, List<Integer>> open = new HashMap<>();
        for (Event e : events) {
            String k = e.source() + '\n' + e.description();
            if (e.kind().equals(History.FAULT_START)) {
                open.computeIfAbsent(k, x -> new ArrayList<>()).add(starts.size());
                starts.add(e);
                tos.add(end);
            } else if (e.kind().equals(History.FAULT_END)) {
                List<Integer> started = open.get(k);
                if (started != null && !started.isEmpty()) {
                    tos.set(started.remove(0), e.timeNanos());
                }
            }
        }
        List<FaultBand> bands = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            bands.add(new FaultBand(starts.get(i), tos.get(i)));
        }
        return bands;
    }

    /** Per source: the intervals in which it held a lock, from acquired to released or lost (or the end). */
    private Map<String, List<LockHeld>> lockIntervals() {
        Map<String, List<LockHeld>> bySource = new TreeMap<>();
        Map<String, Long> open = new HashMap<>();
        for (Event e : events) {
            String k = e.source() + '\n' + e.description();
            switch (e.kind()) {
                case History.LOCK_ACQUIRED -> open.putIfAbsent(k, e.timeNanos());
                case History.LOCK_RELEASED, History.LOCK_LOST -> {
                    Long from = open.remove(k);
                    if (from != null) {
                        bySource.computeIfAbsent(e.source(), s -> new ArrayList<>())
                                .add(new LockHeld(from, e.timeNanos(), e.description()));
                    }
                }
                default -> {}
            }
        }
        open.forEach((k, from) -> {
            String source = k.substring(0, k.indexOf('\n'));
            bySource.computeIfAbsent(source, s -> new ArrayList<>())
                    .add(new LockHeld(from, end, k.substring(k.indexOf('\n') + 1)));
        });
        return bySource;
    }
}
