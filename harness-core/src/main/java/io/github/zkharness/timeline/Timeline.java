package io.github.zkharness.timeline;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Writes a history and check results as one self-contained HTML file: inline SVG and CSS, no network, no scripts;
 * hovering any bar shows its details (SVG titles). Drawn, on one time axis (milliseconds since the history started):
 *
 * <ul>
 *   <li>a band for every fault, from its {@link History#FAULT_START} to its matching {@link History#FAULT_END} (or the
 *       end), across the whole chart, with its description in the "faults" lane;</li>
 *   <li>one lane per node ({@code node-N} sources of {@link History#ROLE} events) coloured by role;</li>
 *   <li>one lane per process: its operations as bars, green OK, grey FAIL, orange UNKNOWN (an operation never
 *       completed runs to the end), and the intervals in which it held a lock as a purple strip under them;</li>
 *   <li>every INVALID result's counterexample: its operations outlined in red, its time span shaded red and labelled
 *       with the checker and key; the results' text below the chart.</li>
 * </ul>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Timeline {

    private static final int LABEL_WIDTH = 130;
    private static final int LANE_HEIGHT = 26;
    private static final int AXIS_HEIGHT = 28;

    private Timeline() {}

    /**
     * Writes the timeline of {@code history} with {@code results} to {@code file} (parent directories created).
     *
     * @param history the history
     * @param results the checkers' results (may be empty); combined results are drawn part by part
     * @param file where to write, e.g. {@code target/zk-harness/timeline.html}
     * @return {@code file}
     * @throws UncheckedIOException if the file cannot be written
     * @throws IllegalArgumentException if an argument is null
     */
    public static Path write(History history, List<CheckResult> results, Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        String html = render(history, results);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the timeline to " + file, e);
        }
        return file;
    }

    /**
     * The timeline as HTML text (what {@link #write} writes).
     *
     * @param history the history
     * @param results the checkers' results (may be empty)
     * @return the HTML document
     * @throws IllegalArgumentException if an argument is null
     */
    public static String render(History history, List<CheckResult> results) {
        if (history == null || results == null) {
            throw new IllegalArgumentException("history and results must not be null, got " + history + ", " + results);
        }
        return new Drawing(history, results).html();
    }

    /** One drawing; all the layout state. */
    private static final class Drawing {
        private final History history;
        private final List<CheckResult> results;
        private final List<CheckResult> flat = new ArrayList<>();
        private final List<Operation> ops;
        private final List<Event> events;
        private final long end;
        private final int plotWidth;
        private final StringBuilder svg = new StringBuilder();
        /** Lane backgrounds and labels, drawn under everything else. */
        private final StringBuilder lanes = new StringBuilder();

        Drawing(History history, List<CheckResult> results) {
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
            int most = perProcess.values().stream()
                    .mapToInt(Integer::intValue)
                    .max()
                    .orElse(0);
            this.plotWidth = Math.max(1240, Math.min(24_000, most * 8));
        }

        double x(long nanos) {
            return LABEL_WIDTH + (double) Math.min(nanos, end) * plotWidth / end;
        }

        String html() {
            // lanes: faults, nodes, processes
            Map<String, List<Event>> roles = new TreeMap<>();
            for (Event e : events) {
                if (e.kind().equals(History.ROLE)) {
                    roles.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e);
                }
            }
            Map<Integer, List<List<Operation>>> rows = new TreeMap<>();
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
            Map<String, List<long[]>> locks = lockIntervals();
            Set<Integer> lockProcesses = new HashSet<>();
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
            List<Object[]> faults = faultBands();
            int y = AXIS_HEIGHT;
            int faultRows = Math.max(1, Math.min(4, faults.size()));
            int faultsY = y;
            y += faultRows * 16 + 8;
            List<CheckResult> invalid = new ArrayList<>();
            for (CheckResult r : flat) {
                if (r.verdict() == Verdict.INVALID && r.parts().isEmpty()) {
                    invalid.add(r);
                }
            }
            int violationsY = y;
            if (!invalid.isEmpty()) {
                y += invalid.size() * 16 + 8;
            }
            Map<String, Integer> nodeY = new LinkedHashMap<>();
            for (String node : roles.keySet()) {
                nodeY.put(node, y);
                y += LANE_HEIGHT;
            }
            y += 6;
            Map<Integer, Integer> processY = new LinkedHashMap<>();
            for (Map.Entry<Integer, List<List<Operation>>> p : rows.entrySet()) {
                processY.put(p.getKey(), y);
                y += Math.max(1, p.getValue().size()) * LANE_HEIGHT + (lockProcesses.contains(p.getKey()) ? 10 : 0);
            }
            int height = y + AXIS_HEIGHT;
            int width = LABEL_WIDTH + plotWidth + 20;

            svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='")
                    .append(width)
                    .append("' height='")
                    .append(height)
                    .append("' font-family='sans-serif' font-size='11'>");
            // fault bands across everything
            int fi = 0;
            for (Object[] f : faults) {
                Event start = (Event) f[0];
                long to = (Long) f[1];
                double x0 = x(start.timeNanos());
                double w = Math.max(2, x(to) - x0);
                svg.append("<rect class='fault' x='")
                        .append(f1(x0))
                        .append("' y='")
                        .append(AXIS_HEIGHT)
                        .append("' width='")
                        .append(f1(w))
                        .append("' height='")
                        .append(height - 2 * AXIS_HEIGHT)
                        .append("'>")
                        .append(title(start.source() + ": " + start.description() + "\n" + ms(start.timeNanos())
                                + " to " + (to >= end ? "the end" : ms(to))))
                        .append("</rect>");
                int row = fi++ % faultRows;
                svg.append("<text class='faultlabel' x='")
                        .append(f1(x0 + 3))
                        .append("' y='")
                        .append(faultsY + row * 16 + 12)
                        .append("'>")
                        .append(esc(start.description()))
                        .append("</text>");
            }
            lane("faults", faultsY, faultRows * 16);
            if (!invalid.isEmpty()) {
                lane("violations", violationsY, invalid.size() * 16);
            }
            // violations: one row each, a red bar over the counterexample's time span
            for (int i = 0; i < invalid.size(); i++) {
                CheckResult r = invalid.get(i);
                long[] span = span(r);
                int ry = violationsY + i * 16;
                String label =
                        "INVALID " + r.checker() + r.key().map(k -> " " + k).orElse("");
                if (span == null) {
                    svg.append("<text class='invalidlabel' x='")
                            .append(LABEL_WIDTH + 4)
                            .append("' y='")
                            .append(ry + 12)
                            .append("'>")
                            .append(esc(label))
                            .append("</text>");
                    continue;
                }
                double x0 = x(span[0]);
                double w = Math.max(4, x(span[1]) - x0);
                svg.append("<rect class='invalid' x='")
                        .append(f1(x0))
                        .append("' y='")
                        .append(ry + 3)
                        .append("' width='")
                        .append(f1(w))
                        .append("' height='10'>")
                        .append(title(r.toString()))
                        .append("</rect>");
                boolean right = x0 + w + 8 + label.length() * 6.5 < LABEL_WIDTH + plotWidth;
                svg.append("<text class='")
                        .append(right ? "invalidlabel" : "invalidlabel inside")
                        .append("' x='")
                        .append(f1(right ? x0 + w + 4 : x0 + 4))
                        .append("' y='")
                        .append(ry + 12)
                        .append("'>")
                        .append(esc(label))
                        .append("</text>");
            }
            // nodes
            for (Map.Entry<String, Integer> n : nodeY.entrySet()) {
                lane(n.getKey(), n.getValue(), LANE_HEIGHT);
                List<Event> rs = roles.get(n.getKey());
                for (int i = 0; i < rs.size(); i++) {
                    Event e = rs.get(i);
                    long to = i + 1 < rs.size() ? rs.get(i + 1).timeNanos() : end;
                    double x0 = x(e.timeNanos());
                    double w = Math.max(1, x(to) - x0);
                    String role = e.description();
                    svg.append("<rect class='role ")
                            .append(roleClass(role))
                            .append("' x='")
                            .append(f1(x0))
                            .append("' y='")
                            .append(n.getValue() + 4)
                            .append("' width='")
                            .append(f1(w))
                            .append("' height='")
                            .append(LANE_HEIGHT - 8)
                            .append("'>")
                            .append(title(n.getKey() + " " + role + " from " + ms(e.timeNanos())))
                            .append("</rect>");
                    if (w > 50) {
                        svg.append("<text class='rolelabel' x='")
                                .append(f1(x0 + 4))
                                .append("' y='")
                                .append(n.getValue() + LANE_HEIGHT / 2 + 4)
                                .append("'>")
                                .append(esc(role))
                                .append("</text>");
                    }
                }
            }
            // processes
            Set<Long> highlighted = new HashSet<>();
            for (CheckResult r : flat) {
                if (r.verdict() == Verdict.INVALID) {
                    r.counterexample().forEach(o -> highlighted.add(o.id()));
                }
            }
            StringBuilder top = new StringBuilder();
            for (Map.Entry<Integer, List<List<Operation>>> p : rows.entrySet()) {
                int py = processY.get(p.getKey());
                int laneHeight =
                        Math.max(1, p.getValue().size()) * LANE_HEIGHT + (lockProcesses.contains(p.getKey()) ? 10 : 0);
                lane("p" + p.getKey(), py, laneHeight);
                for (int row = 0; row < p.getValue().size(); row++) {
                    for (Operation o : p.getValue().get(row)) {
                        StringBuilder target = highlighted.contains(o.id()) ? top : svg;
                        bar(target, o, py + row * LANE_HEIGHT, highlighted.contains(o.id()));
                    }
                }
                List<long[]> held = locks.get(History.processSource(p.getKey()));
                if (held != null) {
                    int ly = py + laneHeight - 9;
                    for (long[] h : held) {
                        double x0 = x(h[0]);
                        svg.append("<rect class='lock' x='")
                                .append(f1(x0))
                                .append("' y='")
                                .append(ly)
                                .append("' width='")
                                .append(f1(Math.max(2, x(h[1]) - x0)))
                                .append("' height='6'>")
                                .append(title("p" + p.getKey() + " held " + lockName(h) + " from " + ms(h[0]) + " to "
                                        + (h[1] >= end ? "the end" : ms(h[1]))))
                                .append("</rect>");
                    }
                }
            }
            // other events as ticks on their lane or the top
            for (Event e : events) {
                if (e.kind().equals(History.ROLE)
                        || e.kind().startsWith("fault-")
                        || e.kind().startsWith("lock-")) {
                    continue;
                }
                Integer ly = nodeY.get(e.source());
                if (ly == null && e.source().startsWith("process-")) {
                    try {
                        ly = processY.get(Integer.parseInt(e.source().substring("process-".length())));
                    } catch (NumberFormatException ex) {
                        ly = null;
                    }
                }
                int ty = ly == null ? faultsY : ly;
                double tx = x(e.timeNanos());
                svg.append("<path class='tick' d='M")
                        .append(f1(tx))
                        .append(' ')
                        .append(ty)
                        .append(" l-4 -6 h8 z'>")
                        .append(title(e.describe()))
                        .append("</path>");
            }
            svg.append(top);
            axis(AXIS_HEIGHT - 6, true);
            axis(height - AXIS_HEIGHT + 6, false);
            svg.append("</svg>");
            svg.insert(svg.indexOf(">") + 1, lanes);
            return page();
        }

        private void bar(StringBuilder out, Operation o, int rowY, boolean highlight) {
            long to = o.completeNanos() < 0 ? end : o.completeNanos();
            double x0 = x(o.invokeNanos());
            double w = Math.max(1.5, x(to) - x0);
            String cls = switch (o.outcome()) {
                case OK -> "ok";
                case FAIL -> "fail";
                default -> o.completeNanos() < 0 ? "unknown open" : "unknown";
            };
            out.append("<rect class='op ")
                    .append(cls)
                    .append(highlight ? " cx" : "")
                    .append("' x='")
                    .append(f1(x0))
                    .append("' y='")
                    .append(rowY + 3)
                    .append("' width='")
                    .append(f1(w))
                    .append("' height='")
                    .append(LANE_HEIGHT - 6)
                    .append("' rx='2'>")
                    .append(title(o.describe()))
                    .append("</rect>");
            if (w > 46) {
                String label = shortLabel(o);
                int fits = (int) ((w - 6) / 6.2);
                if (fits > 3) {
                    out.append("<text class='oplabel' x='")
                            .append(f1(x0 + 3))
                            .append("' y='")
                            .append(rowY + LANE_HEIGHT / 2 + 4)
                            .append("'>")
                            .append(esc(label.length() > fits ? label.substring(0, fits - 1) + "…" : label))
                            .append("</text>");
                }
            }
        }

        private static String shortLabel(Operation o) {
            String k = o.kind().name();
            String v;
            if (o.kind().isRead()) {
                v = o.outcome() == Outcome.OK ? " → " + q(o.result()) : "";
                k = o.kind().name().equals("read") ? "r" : "sr";
            } else if (o.kind().name().equals("cas")) {
                v = " " + q(o.expected()) + "→" + q(o.value());
            } else {
                k = o.kind().name().equals("write") ? "w" : k;
                v = " " + q(o.value());
            }
            return k + " " + o.key() + v;
        }

        private static String q(String v) {
            return v == null ? "∅" : v;
        }

        /** Fault bands: {start event, end time}. */
        private List<Object[]> faultBands() {
            List<Object[]> bands = new ArrayList<>();
            Map<String, List<Integer>> open = new HashMap<>();
            for (Event e : events) {
                String k = e.source() + '\n' + e.description();
                if (e.kind().equals(History.FAULT_START)) {
                    open.computeIfAbsent(k, x -> new ArrayList<>()).add(bands.size());
                    bands.add(new Object[] {e, end});
                } else if (e.kind().equals(History.FAULT_END)) {
                    List<Integer> starts = open.get(k);
                    if (starts != null && !starts.isEmpty()) {
                        bands.get(starts.remove(0))[1] = e.timeNanos();
                    }
                }
            }
            return bands;
        }

        /** Per source: {from, to, lock index} of holding intervals; lock names in lockNames. */
        private final List<String> lockNames = new ArrayList<>();

        private String lockName(long[] h) {
            return lockNames.get((int) h[2]);
        }

        private Map<String, List<long[]>> lockIntervals() {
            Map<String, List<long[]>> bySource = new TreeMap<>();
            Map<String, Long> open = new HashMap<>();
            for (Event e : events) {
                String k = e.source() + '\n' + e.description();
                switch (e.kind()) {
                    case History.LOCK_ACQUIRED -> open.putIfAbsent(k, e.timeNanos());
                    case History.LOCK_RELEASED, History.LOCK_LOST -> {
                        Long from = open.remove(k);
                        if (from != null) {
                            bySource.computeIfAbsent(e.source(), s -> new ArrayList<>())
                                    .add(new long[] {from, e.timeNanos(), lockIndex(e.description())});
                        }
                    }
                    default -> {}
                }
            }
            open.forEach((k, from) -> {
                String source = k.substring(0, k.indexOf('\n'));
                bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(new long[] {
                    from, end, lockIndex(k.substring(k.indexOf('\n') + 1))
                });
            });
            return bySource;
        }

        private long lockIndex(String name) {
            int i = lockNames.indexOf(name);
            if (i < 0) {
                lockNames.add(name);
                i = lockNames.size() - 1;
            }
            return i;
        }

        /**
         * The time span of an invalid result: its operations' span; for events only (mutual exclusion), from the last
         * acquisition to the first release or loss after it; null if it has neither.
         */
        private long[] span(CheckResult r) {
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

        private void lane(String label, int y, int h) {
            lanes.append("<rect class='lane' x='0' y='")
                    .append(y)
                    .append("' width='")
                    .append(LABEL_WIDTH + plotWidth)
                    .append("' height='")
                    .append(h)
                    .append("'/>");
            lanes.append("<text class='lanelabel' x='6' y='")
                    .append(y + Math.min(h, LANE_HEIGHT) / 2 + 4)
                    .append("'>")
                    .append(esc(label))
                    .append("</text>");
        }

        private void axis(int y, boolean top) {
            double totalMs = end / 1e6;
            double step = niceStep(totalMs / Math.max(4, plotWidth / 110.0));
            svg.append("<line class='axis' x1='")
                    .append(LABEL_WIDTH)
                    .append("' x2='")
                    .append(LABEL_WIDTH + plotWidth)
                    .append("' y1='")
                    .append(y)
                    .append("' y2='")
                    .append(y)
                    .append("'/>");
            for (double t = 0; t <= totalMs; t += step) {
                double tx = x((long) (t * 1e6));
                svg.append("<line class='axis' x1='")
                        .append(f1(tx))
                        .append("' x2='")
                        .append(f1(tx))
                        .append("' y1='")
                        .append(y)
                        .append("' y2='")
                        .append(top ? y - 4 : y + 4)
                        .append("'/>");
                svg.append("<text class='axislabel' x='")
                        .append(f1(tx))
                        .append("' y='")
                        .append(top ? y - 7 : y + 15)
                        .append("' text-anchor='middle'>")
                        .append(formatMs(t, step))
                        .append("</text>");
            }
            svg.append("<text class='axislabel' x='6' y='")
                    .append(top ? y - 7 : y + 15)
                    .append("'>ms</text>");
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

        private static String formatMs(double t, double step) {
            return step >= 1 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.2f", t);
        }

        private String page() {
            StringBuilder s = new StringBuilder();
            s.append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>zk-harness timeline</title>")
                    .append("<style>")
                    .append(CSS)
                    .append("</style></head><body>");
            s.append("<h1>zk-harness timeline</h1><p class='meta'>History started ")
                    .append(esc(history.startedAt().toString()))
                    .append("; ")
                    .append(ops.size())
                    .append(" operations, ")
                    .append(events.size())
                    .append(" events; hover any bar for details.</p>");
            if (!results.isEmpty()) {
                s.append(
                        "<table class='results'><tr><th>verdict</th><th>check</th><th>key</th><th>explanation</th></tr>");
                for (CheckResult r : flat) {
                    s.append("<tr class='")
                            .append(r.verdict().name().toLowerCase(Locale.ROOT))
                            .append("'><td>")
                            .append(r.verdict())
                            .append("</td><td>")
                            .append(esc(r.checker()))
                            .append("</td><td>")
                            .append(esc(r.key().orElse("")))
                            .append("</td><td>")
                            .append(esc(r.explanation()))
                            .append("</td></tr>");
                }
                s.append("</table>");
            }
            s.append("<div class='legend'><span class='sw oksw'></span>ok <span class='sw failsw'></span>fail "
                    + "<span class='sw unknownsw'></span>unknown <span class='sw cxs'></span>counterexample "
                    + "<span class='sw faultsw'></span>fault <span class='sw locksw'></span>lock held "
                    + "<span class='sw LEADER'></span>leader <span class='sw FOLLOWER'></span>follower "
                    + "<span class='sw OBSERVER'></span>observer <span class='sw LOOKING'></span>looking "
                    + "<span class='sw STOPPED'></span>stopped</div>");
            s.append("<div class='chart'>").append(svg).append("</div>");
            for (CheckResult r : flat) {
                if (r.verdict() == Verdict.INVALID && r.parts().isEmpty()) {
                    s.append("<h2>")
                            .append(esc(r.checker()))
                            .append(r.key().map(k -> " (key " + esc(k) + ")").orElse(""))
                            .append("</h2><pre>")
                            .append(esc(r.toString()))
                            .append("</pre>");
                }
            }
            s.append("</body></html>\n");
            return s.toString();
        }

        private static String roleClass(String role) {
            String r = role.toUpperCase(Locale.ROOT);
            return switch (r) {
                case "LEADER", "FOLLOWER", "OBSERVER", "LOOKING" -> r;
                case "STOPPED", "KILLED", "FROZEN", "DOWN" -> "STOPPED";
                default -> "OTHER";
            };
        }

        private static String title(String text) {
            return "<title>" + esc(text) + "</title>";
        }

        private static String ms(long nanos) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }

        private static String f1(double v) {
            return String.format(Locale.ROOT, "%.1f", v);
        }

        private static String esc(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '<' -> b.append("&lt;");
                    case '>' -> b.append("&gt;");
                    case '&' -> b.append("&amp;");
                    case '\'' -> b.append("&#39;");
                    case '"' -> b.append("&quot;");
                    default -> b.append(c);
                }
            }
            return b.toString();
        }

        private static final String CSS = String.join(
                "",
                "body{font-family:sans-serif;margin:16px;color:#222}",
                "h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:16px 0 4px}",
                ".meta{color:#666;margin:0 0 8px;font-size:12px}",
                "table.results{border-collapse:collapse;font-size:12px;margin-bottom:8px;max-width:1380px}",
                "table.results td,table.results th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}",
                "tr.valid td:first-child{color:#1b7f3a;font-weight:bold}tr.invalid td:first-child{color:#c62828;",
                "font-weight:bold}tr.unknown td:first-child{color:#c77700;font-weight:bold}",
                ".legend{font-size:12px;margin:6px 0}.sw{display:inline-block;width:14px;height:10px;margin:0 3px 0 10px;",
                "vertical-align:middle;border-radius:2px}",
                ".chart{overflow-x:auto;border:1px solid #ddd}",
                "pre{background:#fafafa;border:1px solid #eee;padding:8px;font-size:12px;white-space:pre-wrap}",
                ".lane{fill:#fff;stroke:#eee}.lanelabel{fill:#333;font-weight:bold}",
                ".axis{stroke:#999}.axislabel{fill:#666;font-size:10px}",
                ".fault{fill:#ffcdd2;fill-opacity:.35}.faultlabel{fill:#b71c1c;font-size:10px}",
                ".faultsw{background:#ffcdd2}",
                ".invalid{fill:#e53935;fill-opacity:.85}",
                ".invalidlabel{fill:#c62828;font-weight:bold;font-size:11px}.inside{fill:#fff;font-size:9px}",
                ".op{stroke:#fff;stroke-width:.5}.ok{fill:#66bb6a}.fail{fill:#bdbdbd}.unknown{fill:#ffa726}",
                ".unknown.open{fill:#ffe0b2;stroke:#ffa726;stroke-dasharray:3 2}",
                ".oksw{background:#66bb6a}.failsw{background:#bdbdbd}.unknownsw{background:#ffa726}",
                ".cx{stroke:#c62828;stroke-width:2.5}.cxs{background:#fff;border:2px solid #c62828}",
                ".oplabel{fill:#123;font-size:10px;pointer-events:none}",
                ".lock{fill:#7e57c2}.locksw{background:#7e57c2}",
                ".role{stroke:#fff;stroke-width:.5}.rolelabel{fill:#fff;font-size:10px;font-weight:bold;",
                "pointer-events:none}",
                ".LEADER{fill:#1565c0;background:#1565c0}.FOLLOWER{fill:#64b5f6;background:#64b5f6}",
                ".OBSERVER{fill:#9575cd;background:#9575cd}.LOOKING{fill:#fbc02d;background:#fbc02d}",
                ".STOPPED{fill:#757575;background:#757575}.OTHER{fill:#a1887f}",
                ".tick{fill:#555}",
                "rect:hover{stroke:#000;stroke-width:1.5}");
    }
}
