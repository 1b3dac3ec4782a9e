package io.github.zkharness.junit5;

import io.github.zkharness.LeaderPlacement;
import io.github.zkharness.ZkEnsemble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one translation of {@link ZkCluster} into calls on {@link ZkEnsemble.Builder}: one line per attribute, each
 * with the attribute's name and value as the user wrote them (for messages and for comparing shared declarations).
 * The core builder checks every value; what is written here is only what the annotation's form needs (milliseconds
 * to a {@link Duration}, {@code "key=value"} to a key and a value, servers counted with observers).
 */
final class ZkClusterTranslator {

    private final List<ClusterSpec.Step> steps = new ArrayList<>();

    private ZkClusterTranslator() {}

    static ClusterSpec translate(ZkCluster a) {
        ZkClusterTranslator t = new ZkClusterTranslator();
        t.step(servers(a.nodes(), a.observers()), b -> servers(b, a.nodes(), a.observers()));
        t.set("tickTimeMs", a.tickTimeMs(), b -> b.tickTime(Duration.ofMillis(a.tickTimeMs())));
        t.set("sessionTimeoutsMs", a.sessionTimeoutsMs(), b -> sessionTimeouts(b, a.sessionTimeoutsMs()));
        t.set("initLimit", a.initLimit(), b -> b.initLimit(a.initLimit()));
        t.set("syncLimit", a.syncLimit(), b -> b.syncLimit(a.syncLimit()));
        t.set("separateDataLogDir", a.separateDataLogDir(), b -> b.separateDataLogDir(a.separateDataLogDir()));
        t.each("serverSettings", a.serverSettings(), ZkClusterTranslator::serverSetting);
        t.set("fourLetterWords", a.fourLetterWords(), b -> b.fourLetterWords(a.fourLetterWords()));
        t.set("startTimeoutMs", a.startTimeoutMs(), b -> b.startTimeout(Duration.ofMillis(a.startTimeoutMs())));
        t.set("awaitTimeoutMs", a.awaitTimeoutMs(), b -> b.awaitTimeout(Duration.ofMillis(a.awaitTimeoutMs())));
        t.set("links", a.links(), b -> b.links(a.links()));
        t.set("failOnThreadDeath", a.failOnThreadDeath(), b -> b.failOnThreadDeath(a.failOnThreadDeath()));
        t.set("readOnlyMode", a.readOnlyMode(), b -> b.readOnlyMode(a.readOnlyMode()));
        t.set("firstId", a.firstId(), b -> b.firstId(a.firstId()));
        t.set("leader", a.leader(), b -> leader(b, a.leader()));
        t.set("leaderSeed", a.leaderSeed(), b -> leaderSeed(b, a.leaderSeed(), a.leader()));
        t.set("tls", a.tls(), b -> b.tls(a.tls()));
        t.set("mutualTls", a.mutualTls(), b -> b.mutualTls(a.mutualTls()));
        t.set("plainClientPort", a.plainClientPort(), b -> b.plainClientPort(a.plainClientPort()));
        t.set("quorumSasl", a.quorumSasl(), b -> b.quorumSasl(a.quorumSasl()));
        t.each("saslUsers", a.saslUsers(), ZkClusterTranslator::saslUser);
        return new ClusterSpec(ClusterSpec.Syntax.ANNOTATION, t.steps, a.resetBetweenTests(), a.shared());
    }

    private void step(String written, Consumer<ZkEnsemble.Builder> call) {
        steps.add(new ClusterSpec.Step(written, call));
    }

    private void set(String attribute, Object value, Consumer<ZkEnsemble.Builder> call) {
        step(attribute + " = " + written(value), call);
    }

    /** One step for each element of an array attribute, so that a bad one is quoted alone. */
    private void each(String attribute, String[] values, ElementCall call) {
        for (String value : values) {
            set(attribute, value, b -> call.accept(b, value));
        }
    }

    private interface ElementCall {
        void accept(ZkEnsemble.Builder builder, String value);
    }

    /** As the value would be written in the annotation: {@code 3}, {@code "x"}, {@code {"a", "b"}}, {@code {1, 2}}. */
    private static String written(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof String[] array) {
            return Arrays.stream(array).map(ZkClusterTranslator::written).collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof long[] array) {
            return Arrays.stream(array).mapToObj(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    /** {@code nodes = 4, observers = 1}, or {@code nodes = 3} without observers. */
    private static String servers(int nodes, int observers) {
        return "nodes = " + nodes + (observers == 0 ? "" : ", observers = " + observers);
    }

    /** {@code nodes} counts every server, {@code observers} of them observe, the others vote. */
    private static void servers(ZkEnsemble.Builder b, int nodes, int observers) {
        b.observers(observers);
        if (observers > 0 && observers >= nodes) {
            throw new IllegalArgumentException("nodes counts every server, observers included, and at least one of"
                    + " them must vote: observers must be fewer than nodes, got nodes = " + nodes + ", observers = "
                    + observers);
        }
        b.voters(nodes - observers);
    }

    private static void sessionTimeouts(ZkEnsemble.Builder b, long[] millis) {
        if (millis.length == 0) {
            return; // the core builder's default bounds
        }
        if (millis.length != 2) {
            throw new IllegalArgumentException("session timeouts are {min, max} in milliseconds, two values");
        }
        b.sessionTimeouts(Duration.ofMillis(millis[0]), Duration.ofMillis(millis[1]));
    }

    /** {@code leader = 0} is ZooKeeper's own order; any other value names a voter. */
    private static void leader(ZkEnsemble.Builder b, int id) {
        b.leader(id == 0 ? LeaderPlacement.highestId() : LeaderPlacement.node(id));
    }

    private static void leaderSeed(ZkEnsemble.Builder b, long[] seed, int leader) {
        if (seed.length == 0) {
            return; // no draw: leader decides
        }
        if (seed.length != 1) {
            throw new IllegalArgumentException("leaderSeed takes one seed, got " + seed.length);
        }
        if (leader != 0) {
            throw new IllegalArgumentException(
                    "leader = " + leader + " names the leader already; set leader or leaderSeed, not both");
        }
        b.leader(LeaderPlacement.random(seed[0]));
    }

    private static void saslUser(ZkEnsemble.Builder b, String entry) {
        int colon = entry.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a SASL user is written \"user:password\"");
        }
        b.saslUser(entry.substring(0, colon), entry.substring(colon + 1));
    }

    private static void serverSetting(ZkEnsemble.Builder b, String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("a server setting is written \"key=value\"");
        }
        b.serverSetting(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
}
