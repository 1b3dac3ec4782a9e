package io.github.zkharness.timeline;

import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How the timeline writes things down: times, operations, and text safe inside HTML and JSON. */
final class TimelineText {

    private TimelineText() {}

    static String shortLabel(Operation o) {
        String k = o.kind().name();
        String v;
        if (o.kind().isRead()) {
            v = o.outcome() == Outcome.OK ? " → " + q(o.result()) : "";
            k = switch (o.kind().name()) {
                case "read" -> "r";
                case "read-only-read" -> "ror";
                default -> "sr";
            };
        } else if (o.kind().name().equals("cas")) {
            v = " " + q(o.expected()) + "→" + q(o.value());
        } else {
            k = o.kind().name().equals("write") ? "w" : k;
            v = " " + q(o.value());
        }
        return k + " " + o.key() + v;
    }

    /**
     * An operation for its hover text: as {@link Operation#describe()} but with its times in milliseconds to the
     * microsecond and its duration, e.g. {@code #12 p3 write x "1" OK 1.204 to 1.530 ms (326 µs)}.
     */
    static String describe(Operation o) {
        String d = o.describe();
        int times = d.lastIndexOf(" [");
        String head = times < 0 ? d : d.substring(0, times);
        if (o.completeNanos() < 0) {
            return head + " from " + ms(o.invokeNanos()) + ", never completed";
        }
        return head + ' ' + msNumber(o.invokeNanos()) + " to " + ms(o.completeNanos()) + " ("
                + duration(o.completeNanos() - o.invokeNanos()) + ')';
    }

    /** A duration: microseconds below a millisecond, else milliseconds to the microsecond. */
    static String duration(long nanos) {
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%d µs", Math.round(nanos / 1e3)) : ms(nanos);
    }

    static String q(@Nullable String v) {
        return v == null ? "∅" : v;
    }

    /** An axis label with as many decimals as the step needs (a step of 0.005 ms gives three: microseconds). */
    static String formatMs(double t, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", t);
    }

    /**
     * The hover data as JSON, '<' escaped so that it cannot close its script element: per bar path, a flat array of
     * four values per operation, in the path's order: its id less the previous one's, what it is (as
     * {@link Operation#describe()} without id, process and times), its invocation in microseconds less the previous
     * one's completion (or 0), and how many microseconds it took. The script writes them out as
     * {@code #12 write x "1" OK 1.204 to 1.530 ms (326 µs)}.
     */
    static void json(StringBuilder s, List<List<Operation>> rows) {
        s.append('[');
        for (int r = 0; r < rows.size(); r++) {
            s.append(r == 0 ? "[" : ",[");
            long id = 0;
            long at = 0;
            List<Operation> ops = rows.get(r);
            for (int i = 0; i < ops.size(); i++) {
                Operation o = ops.get(i);
                long from = Math.round(o.invokeNanos() / 1e3);
                long to = Math.max(from, Math.round(o.completeNanos() / 1e3));
                s.append(i == 0 ? "" : ",").append(o.id() - id).append(",\"");
                jsonText(s, what(o));
                s.append("\",").append(from - at).append(',').append(to - from);
                id = o.id();
                at = to;
            }
            s.append(']');
        }
        s.append(']');
    }

    /** What an operation is, without its id, process and times: {@code write x "1" OK}. */
    static String what(Operation o) {
        String d = o.describe();
        int times = d.lastIndexOf(" [");
        String head = times < 0 ? d : d.substring(0, times);
        String prefix = "#" + o.id() + " p" + o.process() + " ";
        return head.startsWith(prefix) ? head.substring(prefix.length()) : head;
    }

    static void jsonText(StringBuilder s, String t) {
        for (int j = 0; j < t.length(); j++) {
            char c = t.charAt(j);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
    }

    static String roleClass(String role) {
        String r = role.toUpperCase(Locale.ROOT);
        return switch (r) {
            case "LEADER", "FOLLOWER", "OBSERVER", "LOOKING" -> r;
            case "STOPPED", "KILLED", "FROZEN", "DOWN" -> "STOPPED";
            default -> "OTHER";
        };
    }

    static String title(String text) {
        return "<title>" + esc(text) + "</title>";
    }

    /** Milliseconds to the microsecond, e.g. {@code 12.345 ms}: events can be microseconds apart. */
    static String ms(long nanos) {
        return msNumber(nanos) + " ms";
    }

    static String msNumber(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
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
}
