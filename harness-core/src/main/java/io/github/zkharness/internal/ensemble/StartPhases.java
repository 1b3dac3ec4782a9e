package io.github.zkharness.internal.ensemble;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * When each phase of one first start was reached, logged at DEBUG on this class's logger when the start ends:
 * the message gives milliseconds since {@code start()} began, and each phase is also a key-value pair whose value
 * is the {@link System#nanoTime()} it was reached at (the benchmarks line these up with their own clock). A phase
 * is marked once, the first time; a start that fails logs what it reached.
 *
 * <p>Phases, in order: {@code globals} (JVM-wide settings), {@code directories}, {@code links} (the link hub),
 * {@code client_ports} (every client port bound, behind its link), {@code peers_started} (every
 * {@code QuorumPeer} started); then, seen by the wait that follows: {@code elected} (a node has the leader's
 * role), {@code leader_listening} (it has bound its quorum port), {@code quorum_serving} (it serves and a majority
 * of voters follow it), {@code all_serving} (every node serves).
 */
final class StartPhases {

    private static final Logger LOG = LoggerFactory.getLogger(StartPhases.class);

    private final long origin = System.nanoTime();
    private final Map<String, Long> marks = new LinkedHashMap<>();

    /** Marks {@code phase} now, unless it was marked before. */
    synchronized void mark(String phase) {
        marks.putIfAbsent(phase, System.nanoTime());
    }

    /** Logs the phases reached, at DEBUG. */
    synchronized void log(String ensemble) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        String text = marks.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s=%.1f", e.getKey(), (e.getValue() - origin) / 1e6))
                .collect(Collectors.joining(" "));
        LoggingEventBuilder event = LOG.atDebug()
                .setMessage("{} start phases (ms since start()): {}")
                .addArgument(ensemble)
                .addArgument(text);
        marks.forEach(event::addKeyValue);
        event.log();
    }
}
