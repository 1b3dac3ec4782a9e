package io.github.zkharness.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a leak would show: this JVM's threads, open file descriptors and entries in {@code java.io.tmpdir}. */
public final class JvmResources {

    /**
     * Threads that are not the harness's: the test's own bounded-call workers, and pools of the JDK and the test
     * libraries that live on their own schedule (the common fork-join pool, the process reaper, Awaitility's
     * condition threads, JUnit's timeout thread).
     */
    private static final List<String> NOT_HARNESS = List.of(
            Bounded.THREAD_PREFIX,
            "ForkJoinPool.commonPool-worker-",
            "process reaper",
            "awaitility",
            "junit-jupiter-timeout-watcher",
            "Attach Listener",
            "surefire-forkedjvm-");

    /** One moment's figures. */
    public record Snapshot(Set<Thread> threads, Map<String, String> fds, Set<String> tmp) {
        /** How many threads. */
        public int threadCount() {
            return threads.size();
        }

        /** How many open file descriptors. */
        public int fdCount() {
            return fds.size();
        }

        /** Open descriptors by kind: socket, pipe, anon_inode:[eventpoll], a file's path. */
        public Map<String, Long> fdKinds() {
            return fds.values().stream()
                    .collect(Collectors.groupingBy(JvmResources::kind, TreeMap::new, Collectors.counting()));
        }
    }

    private JvmResources() {}

    /** Threads, descriptors and temporary-directory entries now. */
    public static Snapshot snapshot() {
        return new Snapshot(threads(), fileDescriptors(), tmpEntries());
    }

    /** Live threads of this JVM, without the ones listed in {@link #NOT_HARNESS}. */
    public static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> NOT_HARNESS.stream().noneMatch(p -> t.getName().startsWith(p)))
                .collect(Collectors.toSet());
    }

    /** File descriptor number to what it points at, e.g. {@code socket:[123]} or a path. */
    public static Map<String, String> fileDescriptors() {
        Map<String, String> fds = new TreeMap<>();
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            return fds;
        }
        for (String n : names) {
            try {
                fds.put(n, Files.readSymbolicLink(Path.of("/proc/self/fd", n)).toString());
            } catch (IOException e) {
                // closed between list and read (the listing's own descriptor, for one)
            }
        }
        return fds;
    }

    /** The names in {@code java.io.tmpdir}. */
    public static Set<String> tmpEntries() {
        String[] names = tmpDir().toFile().list();
        return names == null ? Set.of() : new TreeSet<>(Arrays.asList(names));
    }

    /** {@code java.io.tmpdir}. */
    public static Path tmpDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** What a descriptor points at, as {@link Snapshot#fdKinds()} counts it. */
    public static String kind(String target) {
        if (target.startsWith("socket:")) {
            return "socket";
        }
        if (target.startsWith("pipe:")) {
            return "pipe";
        }
        // anon_inode:[eventpoll], anon_inode:[eventfd], or a file; a file deleted meanwhile is the same file
        return target.endsWith(" (deleted)") ? target.substring(0, target.length() - " (deleted)".length()) : target;
    }

    /** Names of threads for messages: {@code name[group]}, sorted. */
    public static String describe(Set<Thread> threads) {
        return threads.stream()
                .map(t -> t.getName() + "["
                        + (t.getThreadGroup() == null ? "-" : t.getThreadGroup().getName()) + "]")
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
