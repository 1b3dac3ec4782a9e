package io.github.zkharness.junit5;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The last log lines of each node of the ensembles the extension runs, for the diagnostics of a failed test.
 *
 * <p>Lines come from {@link LogbackNodeLogs} when logback-classic is the SLF4J backend (an optional dependency,
 * touched only when present); otherwise nothing is kept and {@link #unavailableReason()} says why. A line belongs
 * to a node when the thread that logged it is in the node's thread group, {@code zk-harness-N-node-M} (or in a
 * group below it): every thread a node starts is.
 */
final class NodeLogs {

    static final int LINES_PER_NODE = 50;

    private static final Map<String, Map<Integer, Deque<String>>> ENSEMBLES = new ConcurrentHashMap<>();
    private static final @Nullable String UNAVAILABLE = detect();

    private NodeLogs() {}

    private static @Nullable String detect() {
        try {
            Class.forName("ch.qos.logback.classic.LoggerContext", false, NodeLogs.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "logback-classic is not on the class path";
        }
        try {
            return LogbackNodeLogs.install();
        } catch (LinkageError | RuntimeException e) {
            return "could not attach to logback: " + e;
        }
    }

    /** Why no lines are kept, or {@code null} when they are. */
    static @Nullable String unavailableReason() {
        return UNAVAILABLE;
    }

    /** Starts keeping the lines of ensemble {@code name}'s nodes. */
    static void track(String name) {
        if (UNAVAILABLE == null) {
            LogbackNodeLogs.ensureAttached();
            ENSEMBLES.put(name, new ConcurrentHashMap<>());
        }
    }

    /** Forgets ensemble {@code name}. */
    static void untrack(String name) {
        ENSEMBLES.remove(name);
    }

    /**
     * Where the current thread's lines go: the buffer of the node of a tracked ensemble whose thread group it is in,
     * or {@code null} (then the line need not even be formatted).
     */
    static @Nullable Deque<String> bufferOfCurrentThread() {
        for (ThreadGroup g = Thread.currentThread().getThreadGroup(); g != null; g = g.getParent()) {
            String group = g.getName();
            int at = group.lastIndexOf("-node-");
            if (at > 0 && group.startsWith("zk-harness-")) {
                Map<Integer, Deque<String>> nodes = ENSEMBLES.get(group.substring(0, at));
                if (nodes == null) {
                    return null;
                }
                try {
                    int id = Integer.parseInt(group.substring(at + "-node-".length()));
                    return nodes.computeIfAbsent(id, k -> new ArrayDeque<>());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Adds {@code line} to {@code buffer}, dropping the oldest beyond {@link #LINES_PER_NODE}. */
    static void append(Deque<String> buffer, String line) {
        synchronized (buffer) {
            if (buffer.size() == LINES_PER_NODE) {
                buffer.removeFirst();
            }
            buffer.addLast(line);
        }
    }

    /** The lines kept for each node of ensemble {@code name}, oldest first, by node id. */
    static Map<Integer, List<String>> lines(String name) {
        Map<Integer, List<String>> result = new TreeMap<>();
        Map<Integer, Deque<String>> nodes = ENSEMBLES.get(name);
        if (nodes != null) {
            nodes.forEach((id, lines) -> {
                synchronized (lines) {
                    result.put(id, new ArrayList<>(lines));
                }
            });
        }
        return result;
    }
}
