package io.github.zkharness.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Live threads of the whole JVM, counted the same way on both sides. */
final class Threads {

    /** Threads a plain ZooKeeper client runs (send and event thread): the test's, not the ensemble's. */
    static final int CLIENT_THREADS = 2;

    private Threads() {}

    /** Live threads of the JVM now. */
    static int count() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Live threads by name, with numbers and addresses folded ({@code QuorumPeer[myid=N]...}). */
    static Map<String, Long> byName() {
        Map<String, Long> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.merge(fold(t.getName()), 1L, Long::sum);
            }
        }
        return names;
    }

    /**
     * Threads alive now that were not before ({@code before} from {@link #byName()}), less the client's: the
     * value is their count, the profile their names. Waits half a second first so that the count is steady.
     */
    static Run started(Map<String, Long> before) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(500);
        Map<String, Long> now = byName();
        Map<String, Long> added = new TreeMap<>();
        long count = 0;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (n != 0) {
                added.put(e.getKey(), n);
                count += n;
            }
        }
        for (Map.Entry<String, Long> e : before.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                added.put(e.getKey(), -e.getValue());
                count -= e.getValue();
            }
        }
        return new Run(count - CLIENT_THREADS, added);
    }

    private static String fold(String name) {
        String s = name.replaceAll("\\(.*", "").replaceAll("\\d+", "N").replaceAll("[^A-Za-z0-9.\\-\\[\\]]+", "_");
        return s.isEmpty() ? "_" : s;
    }
}
