package io.github.zkharness.testkit;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** This JVM's live threads, picked by name or by thread group, for checks that nothing was left running. */
public final class Threads {

    private Threads() {}

    /** Live threads that match {@code which}. */
    public static List<Thread> live(Predicate<Thread> which) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(which)
                .toList();
    }

    /** Live threads named exactly {@code name}. */
    public static List<Thread> named(String name) {
        return live(t -> t.getName().equals(name));
    }

    /** Names of the live threads whose thread group's name matches {@code group}, sorted. */
    public static List<String> namesInGroups(Predicate<String> group) {
        return live(t -> t.getThreadGroup() != null
                        && group.test(t.getThreadGroup().getName()))
                .stream()
                .map(Thread::getName)
                .sorted()
                .toList();
    }

    /** Names of the thread groups that start with {@code prefix} and hold a live thread, sorted. */
    public static Set<String> groupsStartingWith(String prefix) {
        Set<String> groups = new TreeSet<>();
        for (Thread t : live(t -> t.getThreadGroup() != null)) {
            String name = t.getThreadGroup().getName();
            if (name.startsWith(prefix)) {
                groups.add(name);
            }
        }
        return groups;
    }
}
