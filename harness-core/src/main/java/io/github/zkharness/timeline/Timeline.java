package io.github.zkharness.timeline;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.history.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Writes a history and check results as one self-contained HTML file: inline SVG, CSS and one small inline script, no
 * network; hovering any bar shows its details, with times to the microsecond. Everything is drawn without the script;
 * it only shows what an ordinary operation's bar is (fault bands, roles, locks, events and the counterexample's
 * operations carry SVG titles of their own). To stay small (a 10,000-operation history makes well under 1 MB), the
 * operations of one row and one outcome are one SVG path, and their descriptions are data the script reads. The file
 * depends only on the history and the results. Drawn, on one time axis (milliseconds since the history started):
 *
 * <ul>
 *   <li>a band for every fault, from its {@link History#FAULT_START} to its matching {@link History#FAULT_END} (or the
 *       end), across the whole chart, with its description in the "faults" lane;</li>
 *   <li>one lane per node ({@code node-N} sources of {@link History#ROLE} and {@link History#VERSION} events)
 *       coloured by role, its label naming the ZooKeeper version the node ran first, and a dark line with the
 *       version's name where it ran another (an upgrade);</li>
 *   <li>one lane per process: its operations as bars, green OK, grey FAIL, orange UNKNOWN (an operation never
 *       completed runs to the end), and the intervals in which it held a lock as a purple strip under them;</li>
 *   <li>every INVALID result's counterexample ({@link CheckResult#counterexample()}): its operations drawn over
 *       everything, outlined in red, titled "in the counterexample", its time span shaded red and labelled
 *       with the checker and key; the results' text below the chart;</li>
 *   <li>for every VALID linearizability result, each operation's linearization point: a blue stroke across its bar
 *       where it took effect in the order the checker found ({@link CheckResult#linearization()}), at the earliest
 *       instant that order allows.</li>
 * </ul>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Timeline {

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
        return TimelineHtml.render(new TimelineLayout(history, results));
    }
}
