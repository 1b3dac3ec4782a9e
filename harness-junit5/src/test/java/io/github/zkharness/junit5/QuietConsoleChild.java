package io.github.zkharness.junit5;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of {@link QuietConsoleTests}: logback on the class path with no configuration at all, as a test class
 * path pinned to ZooKeeper 3.8 gets it. Builds, tracks (as the extension does for each node's last log lines), starts
 * a 3-node ensemble, writes, restarts a follower, closes; then prints one line {@code kept <node>=<lines> ...}.
 * With the argument {@code loud} it first sets {@code org.apache.zookeeper} to DEBUG, a level the harness then
 * leaves alone, so the test can see that its count would catch the flood.
 */
public final class QuietConsoleChild {

    static final String KEPT = "kept";

    private QuietConsoleChild() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("loud")) {
            ((LoggerContext) LoggerFactory.getILoggerFactory())
                    .getLogger("org.apache.zookeeper")
                    .setLevel(Level.DEBUG);
        }
        Map<Integer, Integer> kept = new TreeMap<>();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).build()) {
            NodeLogs.track(zk.name());
            try {
                zk.start();
                try (ZooKeeper client = zk.newZooKeeper()) {
                    client.create(
                            "/quiet",
                            "x".getBytes(StandardCharsets.UTF_8),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
                }
                ZkNode follower = zk.followers().get(0);
                follower.stop();
                follower.restart();
                zk.awaitServing(java.time.Duration.ofSeconds(60));
                NodeLogs.lines(zk.name()).forEach((id, lines) -> kept.put(id, lines.size()));
            } finally {
                NodeLogs.untrack(zk.name());
            }
        }
        StringBuilder line = new StringBuilder(KEPT);
        kept.forEach((id, n) -> line.append(' ').append(id).append('=').append(n));
        System.out.println(line);
    }
}
