package io.github.zkharness.junit5;

import io.github.zkharness.DataSeed;
import io.github.zkharness.ZkEnsemble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What one ensemble declaration asks for, and the only place that turns it into a {@link ZkEnsemble.Builder}: the
 * annotation and the programmatic builder both fill a {@code ClusterSpec} and go through {@link #toBuilder(String)}.
 * The defaults are the annotation's own defaults, read from it, so that they are written down once.
 */
final class ClusterSpec {

    /** How the declaration was written, so that an invalid value is quoted the way the user wrote it. */
    enum Syntax {
        ANNOTATION,
        BUILDER
    }

    /** Carries {@code @ZkCluster} with every attribute at its default. Never run as a test. */
    @ZkCluster
    private static final class Defaults {}

    private static final ZkCluster DEFAULT_ANNOTATION = Defaults.class.getAnnotation(ZkCluster.class);

    private record Setting(String key, String value, String written) {}

    final Syntax syntax;
    int nodes;
    int observers;
    Duration tickTime;
    int initLimit;
    int syncLimit;
    boolean separateDataLogDir;
    final List<Setting> serverSettings = new ArrayList<>();
    String[] fourLetterWords;
    Duration startTimeout;
    Duration awaitTimeout;
    /** Null for the core builder's default bounds. */
    Duration minSessionTimeout;

    Duration maxSessionTimeout;
    /** Written as {@code {a, b}} when the annotation's array does not hold exactly two values. */
    String badSessionTimeouts;

    final List<DataSeed> seeds = new ArrayList<>();
    /** The name of an ensemble shared across classes, or empty. */
    String shared;

    boolean links;
    boolean resetBetweenTests;
    final List<Consumer<ZkEnsemble.Builder>> customizers = new ArrayList<>();

    private ClusterSpec(Syntax syntax, ZkCluster annotation) {
        this.syntax = syntax;
        this.nodes = annotation.nodes();
        this.observers = annotation.observers();
        this.tickTime = Duration.ofMillis(annotation.tickTimeMs());
        this.initLimit = annotation.initLimit();
        this.syncLimit = annotation.syncLimit();
        this.separateDataLogDir = annotation.separateDataLogDir();
        for (String entry : annotation.serverSettings()) {
            serverSettings.add(parseSetting(entry));
        }
        this.fourLetterWords = annotation.fourLetterWords().clone();
        this.startTimeout = Duration.ofMillis(annotation.startTimeoutMs());
        this.awaitTimeout = Duration.ofMillis(annotation.awaitTimeoutMs());
        long[] sessions = annotation.sessionTimeoutsMs();
        if (sessions.length == 2) {
            this.minSessionTimeout = Duration.ofMillis(sessions[0]);
            this.maxSessionTimeout = Duration.ofMillis(sessions[1]);
        } else if (sessions.length != 0) {
            this.badSessionTimeouts =
                    Arrays.toString(sessions).replace('[', '{').replace(']', '}');
        }
        this.links = annotation.links();
        this.resetBetweenTests = annotation.resetBetweenTests();
        this.shared = annotation.shared();
    }

    /** The declaration an annotation makes. */
    static ClusterSpec of(ZkCluster annotation) {
        return new ClusterSpec(Syntax.ANNOTATION, annotation);
    }

    /** The starting point of {@link ZkClusterExtension#builder()}: the annotation's defaults. */
    static ClusterSpec defaultsForBuilder() {
        return new ClusterSpec(Syntax.BUILDER, DEFAULT_ANNOTATION);
    }

    ClusterSpec copy() {
        ClusterSpec c = new ClusterSpec(syntax, DEFAULT_ANNOTATION);
        c.nodes = nodes;
        c.observers = observers;
        c.tickTime = tickTime;
        c.initLimit = initLimit;
        c.syncLimit = syncLimit;
        c.separateDataLogDir = separateDataLogDir;
        c.serverSettings.clear();
        c.serverSettings.addAll(serverSettings);
        c.fourLetterWords = fourLetterWords.clone();
        c.startTimeout = startTimeout;
        c.awaitTimeout = awaitTimeout;
        c.minSessionTimeout = minSessionTimeout;
        c.maxSessionTimeout = maxSessionTimeout;
        c.badSessionTimeouts = badSessionTimeouts;
        c.seeds.addAll(seeds);
        c.links = links;
        c.resetBetweenTests = resetBetweenTests;
        c.shared = shared;
        c.customizers.addAll(customizers);
        return c;
    }

    /**
     * The settings as text, for comparing what classes that share an ensemble declare. Customizers of
     * {@code configure(...)} cannot be compared and count by number only.
     */
    String signature() {
        return "nodes=" + nodes + ", observers=" + observers + ", tickTime=" + tickTime + ", initLimit=" + initLimit
                + ", syncLimit=" + syncLimit + ", separateDataLogDir=" + separateDataLogDir + ", serverSettings="
                + serverSettings.stream().map(Setting::written).toList() + ", fourLetterWords="
                + Arrays.toString(fourLetterWords) + ", startTimeout=" + startTimeout + ", awaitTimeout=" + awaitTimeout
                + ", sessionTimeouts="
                + (minSessionTimeout == null ? "default" : minSessionTimeout + ".." + maxSessionTimeout)
                + ", links=" + links + ", resetBetweenTests=" + resetBetweenTests
                + (customizers.isEmpty() ? "" : ", " + customizers.size() + " configure(...) customizers");
    }

    void addServerSetting(String key, String value) {
        serverSettings.add(new Setting(key, value, "\"" + key + "\", \"" + value + "\""));
    }

    /**
     * The builder for this declaration. {@code origin} says where the declaration is ("on class x.Y"); it appears
     * in the message of every invalid value.
     *
     * @throws ExtensionConfigurationException naming the value as written, where, and what is allowed
     */
    ZkEnsemble.Builder toBuilder(String origin) {
        ZkEnsemble.Builder b = ZkEnsemble.builder();
        apply(origin, term("nodes", String.valueOf(nodes), "nodes", String.valueOf(nodes)), () -> b.voters(nodes));
        apply(
                origin,
                term("observers", String.valueOf(observers), "observers", String.valueOf(observers)),
                () -> b.observers(observers));
        apply(
                origin,
                term("tickTimeMs", String.valueOf(tickTime.toMillis()), "tickTime", String.valueOf(tickTime)),
                () -> b.tickTime(tickTime));
        apply(
                origin,
                term("initLimit", String.valueOf(initLimit), "initLimit", String.valueOf(initLimit)),
                () -> b.initLimit(initLimit));
        apply(
                origin,
                term("syncLimit", String.valueOf(syncLimit), "syncLimit", String.valueOf(syncLimit)),
                () -> b.syncLimit(syncLimit));
        b.separateDataLogDir(separateDataLogDir);
        for (Setting s : serverSettings) {
            apply(origin, term("serverSettings", s.written, "serverSetting", s.written), () -> {
                if (s.key == null) {
                    throw new IllegalArgumentException("a server setting is written \"key=value\"");
                }
                b.serverSetting(s.key, s.value);
            });
        }
        String words = Arrays.stream(fourLetterWords).map(w -> "\"" + w + "\"").collect(Collectors.joining(", "));
        apply(
                origin,
                term("fourLetterWords", "{" + words + "}", "fourLetterWords", words),
                () -> b.fourLetterWords(fourLetterWords));
        apply(
                origin,
                term(
                        "startTimeoutMs",
                        String.valueOf(startTimeout.toMillis()),
                        "startTimeout",
                        String.valueOf(startTimeout)),
                () -> b.startTimeout(startTimeout));
        apply(
                origin,
                term(
                        "awaitTimeoutMs",
                        String.valueOf(awaitTimeout.toMillis()),
                        "awaitTimeout",
                        String.valueOf(awaitTimeout)),
                () -> b.awaitTimeout(awaitTimeout));
        if (badSessionTimeouts != null) {
            apply(origin, term("sessionTimeoutsMs", badSessionTimeouts, "sessionTimeouts", badSessionTimeouts), () -> {
                throw new IllegalArgumentException("session timeouts are {min, max} in milliseconds, two values");
            });
        }
        if (minSessionTimeout != null) {
            String written = minSessionTimeout.toMillis() + ", " + maxSessionTimeout.toMillis();
            apply(
                    origin,
                    term(
                            "sessionTimeoutsMs",
                            "{" + written + "}",
                            "sessionTimeouts",
                            minSessionTimeout + ", " + maxSessionTimeout),
                    () -> b.sessionTimeouts(minSessionTimeout, maxSessionTimeout));
        }
        seeds.forEach(b::seed);
        b.links(links);
        for (Consumer<ZkEnsemble.Builder> customizer : customizers) {
            apply(origin, "ZkClusterExtension.builder().configure(...)", () -> customizer.accept(b));
        }
        return b;
    }

    /** Builds the (not yet started) ensemble; a check the builder makes only at the end is reported like the rest. */
    ZkEnsemble build(String origin) {
        ZkEnsemble.Builder builder = toBuilder(origin);
        String whole = syntax == Syntax.ANNOTATION ? "@ZkCluster" : "ZkClusterExtension.builder()";
        ZkEnsemble[] built = new ZkEnsemble[1];
        apply(origin, whole, () -> built[0] = builder.build());
        return built[0];
    }

    private String term(String attribute, String annotationValue, String method, String arguments) {
        return syntax == Syntax.ANNOTATION
                ? "@ZkCluster(" + attribute + " = " + annotationValue + ")"
                : "ZkClusterExtension.builder()." + method + "(" + arguments + ")";
    }

    private static void apply(String origin, String term, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new ExtensionConfigurationException("Invalid " + term + " " + origin + ": " + e.getMessage(), e);
        }
    }

    private static Setting parseSetting(String entry) {
        int eq = entry.indexOf('=');
        String written = "\"" + entry + "\"";
        if (eq <= 0) {
            return new Setting(null, null, written);
        }
        return new Setting(
                entry.substring(0, eq).trim(), entry.substring(eq + 1).trim(), written);
    }
}
