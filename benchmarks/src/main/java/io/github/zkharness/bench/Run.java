package io.github.zkharness.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measured run: its value (nanoseconds, or a count) and a profile of where it went: named phases (each the
 * time from the run's start until that point, or a sum over the run, in nanoseconds), or for thread counts the
 * threads by name. Travels between the benchmark and the Curator JVM as one line: {@code value k=v k=v}.
 */
record Run(long value, Map<String, Long> profile) {

    static Run of(long value) {
        return new Run(value, Map.of());
    }

    String encode() {
        StringBuilder s = new StringBuilder(Long.toString(value));
        profile.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    static Run decode(String line) {
        String[] parts = line.trim().split(" ");
        Map<String, Long> profile = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].lastIndexOf('=');
            profile.put(parts[i].substring(0, eq), Long.parseLong(parts[i].substring(eq + 1)));
        }
        return new Run(Long.parseLong(parts[0]), profile);
    }

    /** Collects a run's phases: {@link #mark} the time since {@link #start}, {@link #add} to a sum. */
    static final class Profile {
        /** At DEBUG, marks where each clock starts and stops in ZooKeeper's log, to line it up with the servers'. */
        private static final Logger LOG = LoggerFactory.getLogger(Profile.class);

        private final Map<String, Long> phases = new LinkedHashMap<>();
        private final long start;

        Profile() {
            LOG.debug("clock starts");
            start = System.nanoTime();
        }

        long start() {
            return start;
        }

        void mark(String phase) {
            phases.put(phase, System.nanoTime() - start);
            LOG.debug("{}", phase);
        }

        /** Marks {@code phase} at {@code nanoTime}, a time taken earlier (or -1: never happened, not marked). */
        void markAt(String phase, long nanoTime) {
            if (nanoTime >= 0) {
                phases.put(phase, nanoTime - start);
            }
        }

        void add(String phase, long nanos) {
            phases.merge(phase, nanos, Long::sum);
        }

        /** The run ends now: its value is the time since the start. */
        Run end() {
            Run run = new Run(System.nanoTime() - start, phases);
            LOG.debug("clock stops after {} ms", run.value() / 1_000_000);
            return run;
        }
    }
}
