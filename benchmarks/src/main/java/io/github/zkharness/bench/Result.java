package io.github.zkharness.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The runs of one scenario on both sides, and how they print. */
final class Result {

    /** What a run's value is. */
    enum Unit {
        /** nanoseconds, printed in ms */
        MS,
        /** a count */
        THREADS,
        /** parts per million, printed as a ratio */
        RATIO,
        /** bytes, printed in MB (10^6 bytes) */
        MB;

        double scale(double value) {
            return switch (this) {
                case MS -> value / 1e6;
                case THREADS -> value;
                case RATIO -> value / 1e6;
                case MB -> value / 1e6;
            };
        }

        String format(double scaled) {
            return switch (this) {
                case MS -> String.format(Locale.ROOT, "%.1f", scaled);
                case THREADS ->
                    scaled == Math.rint(scaled)
                            ? String.format(Locale.ROOT, "%.0f", scaled)
                            : String.format(Locale.ROOT, "%.1f", scaled);
                case RATIO -> String.format(Locale.ROOT, "%.3f", scaled);
                case MB -> String.format(Locale.ROOT, "%.1f", scaled);
            };
        }
    }

    final String scenario;
    final Unit unit;
    final String description;
    final List<Run> harness = new ArrayList<>();
    /** null: Curator cannot do this scenario. */
    final List<Run> curator;
    /** Runs that failed (their errors), warm-ups included; not in the statistics. */
    final List<String> harnessFailures = new ArrayList<>();

    final List<String> curatorFailures = new ArrayList<>();
    String error;

    Result(String scenario, Unit unit, String description, boolean curatorToo) {
        this.scenario = scenario;
        this.unit = unit;
        this.description = description;
        this.curator = curatorToo ? new ArrayList<>() : null;
    }

    List<String> failuresWithSides() {
        List<String> all = new ArrayList<>();
        harnessFailures.forEach(f -> all.add("harness: " + f));
        curatorFailures.forEach(f -> all.add("curator: " + f));
        return all;
    }

    String failures() {
        return String.join("; ", failuresWithSides());
    }

    boolean hasCurator() {
        return curator != null && !curator.isEmpty();
    }

    /** Median, min and max of the values, scaled to the unit; null when there are none. */
    double[] stats(List<Run> runs) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        List<Long> values = new ArrayList<>();
        for (Run r : runs) {
            values.add(r.value());
        }
        Collections.sort(values);
        return new double[] {
            unit.scale(median(values)), unit.scale(values.get(0)), unit.scale(values.get(values.size() - 1))
        };
    }

    static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static long failedTests(List<Run> runs) {
        return runs == null
                ? 0
                : runs.stream()
                        .mapToLong(r -> r.profile().getOrDefault("failed_tests_count", 0L))
                        .sum();
    }

    /** harness median / curator median, or NaN. */
    double ratio() {
        double[] h = stats(harness);
        double[] c = stats(curator);
        return h == null || c == null || c[0] == 0 ? Double.NaN : h[0] / c[0];
    }

    /** {@code scenario=.. harness_ms=.. curator_ms=.. ratio=.. harness_min=.. harness_max=.. curator_min=.. curator_max=..}. */
    String line() {
        if (error != null) {
            return "scenario=" + scenario + " error=" + error.replace(' ', '_').replace('\n', '_');
        }
        double[] h = stats(harness);
        double[] c = stats(curator);
        String na = "n/a";
        double ratio = ratio();
        StringBuilder s = new StringBuilder();
        s.append("scenario=")
                .append(scenario)
                .append(" harness_ms=")
                .append(unit.format(h[0]))
                .append(" curator_ms=")
                .append(c == null ? na : unit.format(c[0]))
                .append(" ratio=")
                .append(Double.isNaN(ratio) ? na : String.format(Locale.ROOT, "%.3f", ratio))
                .append(" harness_min=")
                .append(unit.format(h[1]))
                .append(" harness_max=")
                .append(unit.format(h[2]))
                .append(" curator_min=")
                .append(c == null ? na : unit.format(c[1]))
                .append(" curator_max=")
                .append(c == null ? na : unit.format(c[2]))
                .append(" runs=")
                .append(harness.size());
        long hf = harnessFailures.stream().filter(f -> !f.startsWith("warm-up")).count();
        long cf = curatorFailures.stream().filter(f -> !f.startsWith("warm-up")).count();
        if (hf > 0 || cf > 0) {
            s.append(" harness_failed=").append(hf).append(" curator_failed=").append(cf);
        }
        long ht = failedTests(harness);
        long ct = failedTests(curator);
        if (ht > 0 || ct > 0) {
            s.append(" harness_failed_tests=")
                    .append(ht)
                    .append(" curator_failed_tests=")
                    .append(ct);
        }
        if (unit != Unit.MS) {
            s.append(" unit=").append(unit.name().toLowerCase(Locale.ROOT));
        }
        return s.toString();
    }

    /** The median of each profile entry over the runs, scaled: ms for times, as is for thread counts. */
    static Map<String, String> profile(List<Run> runs, Unit unit) {
        Map<String, List<Long>> values = new LinkedHashMap<>();
        for (Run r : runs) {
            r.profile()
                    .forEach((k, v) ->
                            values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, String> medians = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            Collections.sort(v);
            double m = median(v);
            medians.put(
                    k,
                    k.endsWith("_writes_s") || k.endsWith("_count")
                            ? Unit.THREADS.format(m)
                            : unit == Unit.THREADS ? Unit.THREADS.format(m) : Unit.MS.format(m / 1e6));
        });
        if (unit == Unit.MS && !runs.isEmpty()) {
            List<Long> totals = new ArrayList<>();
            runs.forEach(r -> totals.add(r.value()));
            Collections.sort(totals);
            medians.put("total", Unit.MS.format(median(totals) / 1e6));
        }
        return medians;
    }
}
