package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.History;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** Composing checkers. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Checks {

    private Checks() {}

    /**
     * A checker that runs each of {@code checkers} on the same history and combines their results: INVALID if any is
     * INVALID, else UNKNOWN if any is UNKNOWN, else VALID; the parts are kept in {@link CheckResult#parts()}.
     *
     * @param checkers the checkers, at least one
     * @return the combined checker
     * @throws IllegalArgumentException if there are none or one is null
     */
    public static Checker all(Checker... checkers) {
        if (checkers == null || checkers.length == 0) {
            throw new IllegalArgumentException("Checks.all needs at least one checker");
        }
        List<Checker> list = new ArrayList<>();
        for (Checker c : checkers) {
            if (c == null) {
                throw new IllegalArgumentException("Checks.all got a null checker");
            }
            list.add(c);
        }
        return history -> combine("all", runAll(list, history));
    }

    private static List<CheckResult> runAll(List<Checker> checkers, History history) {
        List<CheckResult> results = new ArrayList<>();
        for (Checker c : checkers) {
            results.add(c.check(history));
        }
        return results;
    }

    /**
     * Combines results already computed, as {@link #all} does.
     *
     * @param name the combined result's checker name
     * @param results the parts, at least one
     * @return the combined result
     * @throws IllegalArgumentException if results is null or empty
     */
    public static CheckResult combine(String name, List<CheckResult> results) {
        if (results == null || results.isEmpty()) {
            throw new IllegalArgumentException("nothing to combine");
        }
        Verdict v = Verdict.VALID;
        StringBuilder s = new StringBuilder();
        for (CheckResult r : results) {
            v = v.and(r.verdict());
            s.append(s.length() == 0 ? "" : "; ")
                    .append(r.checker())
                    .append(' ')
                    .append(r.verdict());
        }
        return CheckResult.combined(name, v, results.size() + " checks: " + s, results);
    }
}
