package io.github.zkharness.reliability;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import org.junit.jupiter.api.Test;

class ProbeTests {
    static void p(String what, Runnable r) {
        long t = System.nanoTime();
        try { r.run(); System.out.println("PROBE " + what + " -> returned"); }
        catch (Throwable e) { System.out.println("PROBE " + what + " -> " + e.getClass().getName() + ": " + e.getMessage()); }
        System.out.println("   took " + (System.nanoTime() - t) / 1_000_000 + " ms");
    }
    static String threads(String prefix) {
        StringBuilder sb = new StringBuilder();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ThreadGroup g = t.getThreadGroup();
            if (g != null && g.getName().startsWith(prefix)) sb.append(t.getName()).append("[").append(g.getName()).append("] ");
        }
        return sb.toString();
    }

    @Test
    void probe() throws Exception {
        ZkEnsemble fresh = ZkEnsemble.builder().voters(3).build();
        p("NEW network.isolate(1)", () -> fresh.network().isolate(1));
        p("NEW node.restart()", () -> fresh.node(1).restart());
        System.out.println("threads after restart on NEW: " + threads(fresh.name()));
        p("NEW node.wipe()", () -> fresh.node(2).wipe());
        p("NEW node.kill()", () -> fresh.node(2).kill());
        p("NEW leader()", () -> fresh.leader());
        p("NEW awaitLeader(300ms)", () -> fresh.awaitLeader(Duration.ofMillis(300)));
        p("NEW reset()", fresh::reset);
        p("NEW stop()", fresh::stop);
        p("NEW node.fourLetterWord", () -> fresh.node(1).fourLetterWord("ruok"));
        p("NEW baseDirectory()", fresh::baseDirectory);
        p("NEW start() after restart", () -> fresh.start());
        System.out.println("fresh: " + fresh);
        fresh.close();
        System.out.println("threads after close: " + threads(fresh.name()));

        p("partition null array", () -> fresh.network().partition((Set<Integer>[]) null));
        Path file = Files.createTempFile("probe", ".txt");
        p("baseDirectory(file).start()", () -> ZkEnsemble.builder().voters(1).baseDirectory(file).start().close());
        Files.delete(file);
        p("sessionTimeouts 30 days", () -> { try (ZkEnsemble z = ZkEnsemble.builder().voters(1).sessionTimeouts(Duration.ofDays(30), Duration.ofDays(30)).start()) { System.out.println(z.node(1).fourLetterWord("conf")); } });
        p("startTimeout huge", () -> ZkEnsemble.builder().voters(1).startTimeout(Duration.ofSeconds(Long.MAX_VALUE)).start().close());

        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            p("partition null group", () -> zk.network().partition(Set.of(1, 2), null));
            Set<Integer> withNull = new HashSet<>(); withNull.add(null); withNull.add(1);
            p("partition null id", () -> zk.network().partition(withNull, Set.of(2, 3)));
            p("awaitLeader huge", () -> zk.awaitLeader(Duration.ofSeconds(Long.MAX_VALUE)));
            p("latency huge", () -> zk.network().latency(1, 2, Duration.ofMillis(Long.MAX_VALUE), Duration.ZERO));
            p("latency huge jitter", () -> zk.network().latency(1, 3, Duration.ZERO, Duration.ofMillis(Long.MAX_VALUE)));
            p("bandwidth 1", () -> zk.network().bandwidth(2, 3, 1));
            p("awaitServing after huge latency", () -> zk.awaitServing(Duration.ofSeconds(5)));
            p("kill leader", () -> zk.leader().kill());
            p("awaitLeader after kill", () -> zk.awaitLeader(Duration.ofSeconds(10)));
            p("healAll", () -> zk.network().healAll());
            p("awaitServing after heal", () -> zk.awaitServing(Duration.ofSeconds(10)));
            System.out.println(zk.describe());
            p("4lw conf", () -> System.out.println(zk.node(1).fourLetterWord("conf")));
        }
    }
}
