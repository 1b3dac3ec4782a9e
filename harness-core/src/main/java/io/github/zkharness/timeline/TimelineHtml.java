package io.github.zkharness.timeline;

import static io.github.zkharness.timeline.TimelineLayout.AXIS_HEIGHT;
import static io.github.zkharness.timeline.TimelineLayout.LABEL_WIDTH;
import static io.github.zkharness.timeline.TimelineLayout.LANE_HEIGHT;
import static io.github.zkharness.timeline.TimelineText.describe;
import static io.github.zkharness.timeline.TimelineText.esc;
import static io.github.zkharness.timeline.TimelineText.f1;
import static io.github.zkharness.timeline.TimelineText.formatMs;
import static io.github.zkharness.timeline.TimelineText.json;
import static io.github.zkharness.timeline.TimelineText.ms;
import static io.github.zkharness.timeline.TimelineText.roleClass;
import static io.github.zkharness.timeline.TimelineText.shortLabel;
import static io.github.zkharness.timeline.TimelineText.title;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.timeline.TimelineLayout.FaultBand;
import io.github.zkharness.timeline.TimelineLayout.LockHeld;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws one {@link TimelineLayout} as the {@link Timeline}'s HTML page: the SVG chart (lane backgrounds and labels
 * under everything, fault bands and their labels, violation bars, node role bars and version marks, operation bars
 * and lock strips, event ticks, the counterexample's operations on top, the time axis above and below), around it the
 * page with the {@link TimelineAssets}, the results table, the legend and each INVALID result's text; and the
 * escaping, number formats and hover titles they use. It decides no position of its own beyond offsets within a lane.
 */
final class TimelineHtml {

    private final TimelineLayout layout;
    private final long end;
    private final int plotWidth;
    private final StringBuilder svg = new StringBuilder();
    /** Lane backgrounds and labels, drawn under everything else. */
    private final StringBuilder lanes = new StringBuilder();
    /** What each operation of each bar path ({@code data-r} is the index) is, in the path's order, for hover. */
    private final List<List<Operation>> rowTexts = new ArrayList<>();

    private TimelineHtml(TimelineLayout layout) {
        this.layout = layout;
        this.end = layout.end();
        this.plotWidth = layout.plotWidth();
    }

    /** The HTML document for {@code layout}. */
    static String render(TimelineLayout layout) {
        return new TimelineHtml(layout).html();
    }

    private double x(long nanos) {
        return layout.x(nanos);
    }

    private String html() {
        int height = layout.height();
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='")
                .append(layout.width())
                .append("' height='")
                .append(height)
                .append("' font-family='sans-serif' font-size='11'>");
        faults(height);
        violations();
        nodes();
        StringBuilder top = new StringBuilder();
        processes(top);
        ticks();
        svg.append(top);
        axis(AXIS_HEIGHT - 6, true);
        axis(height - AXIS_HEIGHT + 6, false);
        svg.append("</svg>");
        svg.insert(svg.indexOf(">") + 1, lanes);
        return page();
    }

    /** Fault bands across everything, their labels taking turns on the faults lane's rows. */
    private void faults(int height) {
        int fi = 0;
        for (FaultBand f : layout.faults()) {
            Event start = f.start();
            long to = f.to();
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
                    .append(title(start.source() + ": " + start.description() + "\n" + ms(start.timeNanos()) + " to "
                            + (to >= end ? "the end" : ms(to))))
                    .append("</rect>");
            int row = fi++ % layout.faultRows();
            svg.append("<text class='faultlabel' x='")
                    .append(f1(x0 + 3))
                    .append("' y='")
                    .append(layout.faultsY() + row * 16 + 12)
                    .append("'>")
                    .append(esc(start.description()))
                    .append("</text>");
        }
        lane("faults", layout.faultsY(), layout.faultRows() * 16);
    }

    /** Violations: one row each, a red bar over the counterexample's time span. */
    private void violations() {
        List<CheckResult> invalid = layout.invalid();
        if (!invalid.isEmpty()) {
            lane("violations", layout.violationsY(), invalid.size() * 16);
        }
        for (int i = 0; i < invalid.size(); i++) {
            CheckResult r = invalid.get(i);
            long[] span = layout.span(r);
            int ry = layout.violationsY() + i * 16;
            String label = "INVALID " + r.checker() + r.key().map(k -> " " + k).orElse("");
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
    }

    /**
     * One lane per node, a bar per role it had; the label names the ZooKeeper version it ran first, and a marked line
     * each version it ran from then on.
     */
    private void nodes() {
        for (Map.Entry<String, Integer> n : layout.nodeY().entrySet()) {
            List<Event> vs = layout.versions().getOrDefault(n.getKey(), List.of());
            lane(vs.isEmpty() ? n.getKey() : n.getKey() + " " + vs.get(0).description(), n.getValue(), LANE_HEIGHT);
            List<Event> rs = layout.roles().getOrDefault(n.getKey(), List.of());
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
            versionMarks(n.getKey(), n.getValue(), vs);
        }
    }

    /** A line and the new version's name where node {@code node} started to run another version. */
    private void versionMarks(String node, int y, List<Event> vs) {
        for (int i = 1; i < vs.size(); i++) {
            Event e = vs.get(i);
            String version = e.description();
            if (version.equals(vs.get(i - 1).description())) {
                continue;
            }
            double x = x(e.timeNanos());
            svg.append("<line class='version' x1='")
                    .append(f1(x))
                    .append("' x2='")
                    .append(f1(x))
                    .append("' y1='")
                    .append(y + 1)
                    .append("' y2='")
                    .append(y + LANE_HEIGHT - 1)
                    .append("'>")
                    .append(title(node + " runs ZooKeeper " + version + " from " + ms(e.timeNanos())))
                    .append("</line><text class='versionlabel' x='")
                    .append(f1(x + 3))
                    .append("' y='")
                    .append(y + 10)
                    .append("'>")
                    .append(esc(version))
                    .append("</text>");
        }
    }

    /**
     * One lane per process: its operations as bars, and the locks it held as a strip under them. To stay small, the
     * operations of one row and one outcome are one path of thick horizontal strokes ({@code M x y h w} each), and
     * what each one is goes once into the data the page's script shows on hover ({@link #rowTexts}); the
     * counterexample's operations and operations that never completed are rectangles with titles of their own, the
     * counterexample's into {@code top}, drawn over everything.
     */
    @SuppressWarnings("NullAway") // processY has every process of rows()
    private void processes(StringBuilder top) {
        for (Map.Entry<Integer, List<List<Operation>>> p : layout.rows().entrySet()) {
            int py = layout.processY().get(p.getKey());
            int laneHeight = layout.processLaneHeight(p.getKey());
            lane("p" + p.getKey(), py, laneHeight);
            for (int row = 0; row < p.getValue().size(); row++) {
                int rowY = py + row * LANE_HEIGHT;
                Map<String, StringBuilder> paths = new TreeMap<>();
                Map<String, List<Operation>> texts = new TreeMap<>();
                StringBuilder labels = new StringBuilder();
                StringBuilder points = new StringBuilder();
                for (Operation o : p.getValue().get(row)) {
                    Long point = layout.linearizationPoint(o.id());
                    if (point != null) {
                        points.append('M')
                                .append(f1(x(point)))
                                .append(' ')
                                .append(rowY + 1)
                                .append("v")
                                .append(LANE_HEIGHT - 2);
                    }
                    boolean highlight = layout.highlighted(o.id());
                    if (highlight || o.completeNanos() < 0) {
                        bar(highlight ? top : svg, o, rowY, highlight);
                        continue;
                    }
                    String cls = o.outcome() == Outcome.OK ? "ok" : o.outcome() == Outcome.FAIL ? "fail" : "unknown";
                    double x0 = x(o.invokeNanos());
                    double w = Math.max(1.5, x(o.completeNanos()) - x0);
                    paths.computeIfAbsent(cls, c -> new StringBuilder())
                            .append('M')
                            .append(f1(x0))
                            .append(' ')
                            .append(rowY + LANE_HEIGHT / 2)
                            .append('h')
                            .append(f1(w));
                    texts.computeIfAbsent(cls, c -> new ArrayList<>()).add(o);
                    label(labels, o, rowY, x0, w);
                }
                for (Map.Entry<String, StringBuilder> path : paths.entrySet()) {
                    svg.append("<path class='bar ")
                            .append(path.getKey())
                            .append("' data-r='")
                            .append(rowTexts.size())
                            .append("' d='")
                            .append(path.getValue())
                            .append("'/>");
                    rowTexts.add(texts.get(path.getKey()));
                }
                svg.append(labels);
                if (points.length() > 0) {
                    svg.append("<path class='lp' d='").append(points).append("'/>");
                }
            }
            List<LockHeld> held = layout.locksHeldBy(History.processSource(p.getKey()));
            if (held != null) {
                int ly = py + laneHeight - 9;
                for (LockHeld h : held) {
                    double x0 = x(h.from());
                    svg.append("<rect class='lock' x='")
                            .append(f1(x0))
                            .append("' y='")
                            .append(ly)
                            .append("' width='")
                            .append(f1(Math.max(2, x(h.to()) - x0)))
                            .append("' height='6'>")
                            .append(title("p" + p.getKey() + " held " + h.lock() + " from " + ms(h.from()) + " to "
                                    + (h.to() >= end ? "the end" : ms(h.to()))))
                            .append("</rect>");
                }
            }
        }
    }

    /** Other events as ticks on their lane or the faults lane. */
    private void ticks() {
        for (Event e : layout.ticks()) {
            int ty = layout.tickY(e);
            double tx = x(e.timeNanos());
            svg.append("<path class='tick' d='M")
                    .append(f1(tx))
                    .append(' ')
                    .append(ty)
                    .append(" l-4 -6 h8 z'>")
                    .append(title(e.describe()))
                    .append("</path>");
        }
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
                .append(title((highlight ? "in the counterexample: " : "") + describe(o)))
                .append("</rect>");
        label(out, o, rowY, x0, w);
    }

    /** The operation's short label inside its bar, if the bar is wide enough. */
    private static void label(StringBuilder out, Operation o, int rowY, double x0, double w) {
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
        double step = layout.axisStepMs();
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

    private String page() {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>zk-harness timeline</title>")
                .append("<style>")
                .append(TimelineAssets.CSS)
                .append("</style></head><body>");
        s.append("<h1>zk-harness timeline</h1><p class='meta'>History started ")
                .append(esc(layout.history().startedAt().toString()))
                .append("; ")
                .append(layout.ops().size())
                .append(" operations, ")
                .append(layout.events().size())
                .append(" events; hover any bar for details.</p>");
        if (!layout.results().isEmpty()) {
            s.append("<table class='results'><tr><th>verdict</th><th>check</th><th>key</th><th>explanation</th></tr>");
            for (CheckResult r : layout.flat()) {
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
                + "<span class='sw lpsw'></span>linearization point "
                + "<span class='sw faultsw'></span>fault <span class='sw locksw'></span>lock held "
                + "<span class='sw LEADER'></span>leader <span class='sw FOLLOWER'></span>follower "
                + "<span class='sw OBSERVER'></span>observer <span class='sw LOOKING'></span>looking "
                + "<span class='sw STOPPED'></span>stopped</div>");
        s.append("<div class='chart'>").append(svg).append("</div>");
        s.append("<div id='zk-tip'></div><script type='application/json' id='zk-ops'>");
        json(s, rowTexts);
        s.append("</script><script>").append(TimelineAssets.SCRIPT).append("</script>");
        for (CheckResult r : layout.flat()) {
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
}
