package io.github.zkharness.junit5;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkTimeoutException;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * An ensemble in an {@link ExtensionContext.Store}: JUnit closes it when the context that owns it ends (the class
 * for a class-level declaration, the test for a test-level one). It is the one owner of the JUnit layer's mutable
 * state about its ensemble: whether a test runs on it now and whose turn it is, the zxid at which it was last
 * clean, how long resets took, and whether it is closed. Only its own methods write these (under its lock, or in
 * the thread-safe holders named below); every other class asks it. The settings it was started with are immutable
 * ({@link ClusterSpec}).
 */
@SuppressWarnings("deprecation") // CloseableResource: JUnit 5.10 to 5.12 close only this; later ones AutoCloseable
final class ClusterResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    static final String KEY = "ensemble";
    static final String RESET_REPORT_KEY = "zk-harness.reset.ms";
    private static final String PARALLEL_ENABLED = "junit.jupiter.execution.parallel.enabled";

    private final ZkEnsemble ensemble;
    private final Declaration declaration;
    private final boolean shared;
    private final boolean resetBetweenTests;
    private final List<Long> resetMillis = new CopyOnWriteArrayList<>();
    /** Tests that run on the ensemble now; guarded by this. */
    private int running;
    /** The highest zxid when the ensemble was last started or reset; guarded by this. */
    private long cleanZxid;

    private volatile boolean closed;
    /** Non-null for an ensemble shared by name across classes. */
    private final @Nullable String sharedName;

    private final @Nullable String signature;
    /** Tests on an ensemble shared across classes take turns, also in JUnit's parallel mode. */
    private final Semaphore turn = new Semaphore(1, true);
    /** The test whose turn it is; null between tests. */
    private volatile @Nullable Turn holder;

    /** How long a test waits for its turn on a shared ensemble, in seconds: a JUnit configuration parameter. */
    static final String TURN_TIMEOUT = "zkharness.shared.turnTimeoutSeconds";

    static final long DEFAULT_TURN_SECONDS = 600;

    private ClusterResource(
            ZkEnsemble ensemble,
            Declaration declaration,
            boolean resetBetweenTests,
            @Nullable String sharedName,
            @Nullable String signature) {
        this.sharedName = sharedName;
        this.signature = signature;
        this.ensemble = ensemble;
        this.declaration = declaration;
        this.shared = declaration.scope == Declaration.Scope.CLASS;
        this.resetBetweenTests = resetBetweenTests;
        this.cleanZxid = highestZxid();
    }

    /**
     * The ensemble of {@code declaration} as seen from {@code context}, started on first use. Any number of
     * callers, on any threads, get the same one.
     */
    static ClusterResource of(ExtensionContext context, Declaration declaration) {
        ExtensionContext owner = declaration.owner(context);
        String shared = declaration.sharedName(context);
        if (shared == null) {
            return owner.getStore(ZkClusterExtension.NAMESPACE)
                    .getOrComputeIfAbsent(KEY, key -> start(owner, owner, declaration, null), ClusterResource.class);
        }
        ExtensionContext declaring = declaration.classContext(context);
        ClusterResource resource = owner.getStore(ZkClusterExtension.NAMESPACE)
                .getOrComputeIfAbsent(
                        KEY + ":shared:" + shared,
                        key -> start(owner, declaring, declaration, shared),
                        ClusterResource.class);
        resource.requireSameSettings(declaring, declaration);
        return resource;
    }

    /** The ensemble of {@code declaration} if it runs already; {@code null} otherwise. */
    static ClusterResource existing(ExtensionContext context, Declaration declaration) {
        String shared = declaration.sharedName(context);
        return declaration
                .owner(context)
                .getStore(ZkClusterExtension.NAMESPACE)
                .get(shared == null ? KEY : KEY + ":shared:" + shared, ClusterResource.class);
    }

    /** Every class that shares a named ensemble must ask for the same one. */
    private void requireSameSettings(ExtensionContext declaring, Declaration other) {
        String asked = signature(declaring, other);
        if (!asked.equals(signature)) {
            throw new ExtensionConfigurationException("The shared ZooKeeper ensemble \"" + sharedName + "\" was"
                    + " started for " + declaration.description + " with " + signature + ", but "
                    + other.description + " asks for " + asked + ". Classes that share an ensemble must declare the"
                    + " same settings; give the other one a shared name of its own");
        }
    }

    /** The settings of a declaration, and its seed methods, as text: what sharing classes must agree on. */
    private static String signature(ExtensionContext declaring, Declaration declaration) {
        return declaration.spec(declaring).signature() + SeedMethods.names(declaring.getRequiredTestClass());
    }

    private static ClusterResource start(
            ExtensionContext owner, ExtensionContext declaring, Declaration declaration, @Nullable String sharedName) {
        ClusterSpec spec = declaration.spec(declaring);
        ZkEnsemble ensemble = spec.build(declaration.origin, SeedMethods.of(declaring.getRequiredTestClass()));
        NodeLogs.track(ensemble.name());
        try {
            ensemble.start();
        } catch (RuntimeException e) {
            NodeLogs.untrack(ensemble.name());
            throw e;
        }
        return new ClusterResource(
                ensemble,
                declaration,
                spec.resetBetweenTests(),
                sharedName,
                sharedName == null ? null : signature(declaring, declaration));
    }

    ZkEnsemble ensemble() {
        return ensemble;
    }

    Declaration declaration() {
        return declaration;
    }

    /** Whether JUnit closed this ensemble (its owning context ended). */
    boolean isClosed() {
        return closed;
    }

    /**
     * Called once before each test that uses a shared ensemble: refuses concurrent tests when they would reset
     * each other's ensemble, and resets it unless nothing changed since it was last clean.
     */
    void beforeTest(ExtensionContext test) {
        if (!shared) {
            return;
        }
        if (sharedName != null) {
            takeTurn(test);
        } else if (resetBetweenTests && runsConcurrently(test)) {
            throw concurrencyError(test);
        }
        synchronized (this) {
            if (resetBetweenTests && running > 0 && sharedName == null) {
                throw concurrencyError(test);
            }
            running++;
            if (!resetBetweenTests || isClean()) {
                return;
            }
            long start = System.nanoTime();
            try {
                ensemble.reset();
            } catch (RuntimeException e) {
                running--;
                releaseTurn();
                throw e;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            resetMillis.add(millis);
            cleanZxid = highestZxid();
            test.publishReportEntry(RESET_REPORT_KEY, String.valueOf(millis));
        }
    }

    /** Called once after each test that {@link #beforeTest}. */
    synchronized void afterTest() {
        if (shared && running > 0) {
            running--;
            releaseTurn();
        }
    }

    /**
     * Waits for this test's turn on the shared ensemble, at most {@link #TURN_TIMEOUT} seconds (or what the
     * configuration parameter says), and fails the test naming the one that held the ensemble all that time.
     */
    private void takeTurn(ExtensionContext test) {
        long seconds = turnTimeoutSeconds(test);
        String me = describe(test);
        try {
            if (!turn.tryAcquire(seconds, TimeUnit.SECONDS)) {
                Turn holding = holder;
                throw new ZkTimeoutException(me + " waited " + seconds + " s for its turn on the shared ZooKeeper"
                        + " ensemble \"" + sharedName + "\", held "
                        + (holding == null
                                ? "by a test that has just finished"
                                : "by " + holding.test + " since " + holding.since)
                        + ". Tests on a shared ensemble take turns; if a test runs this long on purpose, raise the"
                        + " configuration parameter " + TURN_TIMEOUT + " (seconds, default " + DEFAULT_TURN_SECONDS
                        + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException(
                    "interrupted while " + me + " waited for its turn on the shared ZooKeeper ensemble \"" + sharedName
                            + "\"",
                    e);
        }
        holder = new Turn(me, LocalTime.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private void releaseTurn() {
        if (sharedName != null) {
            holder = null;
            turn.release();
        }
    }

    /** The configuration parameter {@link #TURN_TIMEOUT}, checked: a whole number of seconds, at least 1. */
    static long turnTimeoutSeconds(ExtensionContext context) {
        Optional<String> value = context.getConfigurationParameter(TURN_TIMEOUT);
        if (value.isEmpty()) {
            return DEFAULT_TURN_SECONDS;
        }
        try {
            long seconds = Long.parseLong(value.get().trim());
            if (seconds >= 1) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new ExtensionConfigurationException("The configuration parameter " + TURN_TIMEOUT + " is \""
                + value.get() + "\"; it must be a whole number of seconds, at least 1 (default "
                + DEFAULT_TURN_SECONDS + ")");
    }

    private static String describe(ExtensionContext test) {
        return test.getTestClass().map(Class::getName).orElse("?") + "."
                + test.getTestMethod().map(m -> m.getName() + "()").orElse(test.getDisplayName());
    }

    /** Which test holds the turn, since when. */
    private record Turn(String test, LocalTime since) {}

    /** How long each reset took, in milliseconds, oldest first. */
    List<Long> resetMillis() {
        return List.copyOf(resetMillis);
    }

    /**
     * Whether the ensemble is as the last start or reset left it: every node running and serving, no fault, and
     * no transaction since (a session, a write or a delete would each have moved the zxid).
     */
    private boolean isClean() {
        for (ZkNode node : ensemble.nodes()) {
            if (node.state() != NodeState.RUNNING || !node.isServing()) {
                return false;
            }
        }
        return ensemble.network().faults().isEmpty() && highestZxid() == cleanZxid;
    }

    private long highestZxid() {
        long highest = 0;
        for (ZkNode node : ensemble.nodes()) {
            highest = Math.max(highest, node.status().lastZxid());
        }
        return highest;
    }

    private static boolean runsConcurrently(ExtensionContext test) {
        boolean parallel = test.getConfigurationParameter(PARALLEL_ENABLED)
                .map(Boolean::parseBoolean)
                .orElse(false);
        return parallel && test.getExecutionMode() == ExecutionMode.CONCURRENT;
    }

    private ExtensionConfigurationException concurrencyError(ExtensionContext test) {
        return new ExtensionConfigurationException(
                "Tests sharing the ZooKeeper ensemble of " + declaration.description
                        + " run concurrently, but the ensemble is reset before each test, under the feet of the others (seen at "
                        + test.getDisplayName()
                        + "). Let them run one at a time (@Execution(ExecutionMode.SAME_THREAD) on the"
                        + " class, or junit.jupiter.execution.parallel.mode.default=same_thread with"
                        + " junit.jupiter.execution.parallel.mode.classes.default=concurrent), or declare resetBetweenTests = false");
    }

    @Override
    public void close() {
        closed = true;
        try {
            ensemble.close();
        } finally {
            NodeLogs.untrack(ensemble.name());
        }
    }

    @Override
    public String toString() {
        return "ClusterResource[" + ensemble.name() + " for " + declaration.description + "]";
    }
}
