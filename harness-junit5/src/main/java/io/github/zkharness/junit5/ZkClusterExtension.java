package io.github.zkharness.junit5;

import io.github.zkharness.ZkEnsemble;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.JUnitException;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit Jupiter extension behind {@link ZkCluster}, and its programmatic door:
 *
 * <pre>{@code
 * class ElectionTests {
 *     @RegisterExtension
 *     static ZkClusterExtension zk = ZkClusterExtension.builder()
 *         .configure(b -> b.voters(5).sessionTimeouts(Duration.ofMillis(400), Duration.ofSeconds(4)))
 *         .build();
 *
 *     @Test
 *     void test(ZooKeeper client) { ... zk.ensemble().leader().kill(); ... }
 * }
 * }</pre>
 *
 * <p>A {@code static} field gives one ensemble per class, as {@code @ZkCluster} on the class does (reset between
 * tests, shared with {@code @Nested} classes); an instance field gives a fresh ensemble per test, as
 * {@code @ZkCluster} on the method does. The ensemble's settings are those of {@link ZkEnsemble.Builder}, given
 * through {@link Builder#configure(Consumer)}, as the annotation's attributes are translated into the same
 * builder's calls.
 *
 * <p>Everything the extension keeps lives in JUnit's {@link ExtensionContext.Store} (namespace
 * {@code ZkClusterExtension}): the ensemble in the store of the class or test that owns it, so JUnit closes it when
 * that class or test ends, even when a callback failed; the injected clients in the store of the context that
 * asked for them. The extension instance itself holds no state but the builder's settings, so one instance may
 * serve classes that run in parallel.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ZkClusterExtension
        implements BeforeAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler {

    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZkClusterExtension.class);
    private static final String TEST_MARK = "test:";

    /** {@code null} for the instance JUnit creates for {@code @ZkCluster}. */
    private final @Nullable ClusterSpec spec;

    /**
     * The ensembles of this extension's field that have started, for {@link #ensemble()}; closed ones are dropped
     * when next asked. Written only here ({@link #resource}, {@link #ensemble()}); whether one runs is its own to say.
     */
    private final Set<ClusterResource> seen = ConcurrentHashMap.newKeySet();

    /** For JUnit, which creates one for each {@code @ZkCluster} (through {@code @ExtendWith}). */
    ZkClusterExtension() {
        this(null);
    }

    private ZkClusterExtension(@Nullable ClusterSpec spec) {
        this.spec = spec;
    }

    /** Starts the settings of an extension for a {@code @RegisterExtension} field; the defaults are those of {@link ZkCluster}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ensemble this extension runs now, for tests that reach it through their {@code @RegisterExtension}
     * field rather than through a parameter.
     *
     * @throws IllegalStateException if none runs now (before the class or test started it, or after it ended), or
     *     if several do (the same static field serving classes that run in parallel): inject a {@code ZkEnsemble}
     *     parameter then
     */
    public ZkEnsemble ensemble() {
        seen.removeIf(ClusterResource::isClosed);
        List<ClusterResource> now = List.copyOf(seen);
        if (now.size() == 1) {
            return now.get(0).ensemble();
        }
        if (now.isEmpty()) {
            throw new IllegalStateException("No ensemble of this ZkClusterExtension runs now: a static field's starts"
                    + " before the first test of its class, an instance field's before each test, and each is closed"
                    + " when its class or test ends");
        }
        throw new IllegalStateException("This ZkClusterExtension runs " + now.size() + " ensembles now ("
                + now.stream()
                        .map(r -> r.ensemble().name() + " for " + r.declaration().description)
                        .toList()
                + "); take a ZkEnsemble parameter to get the test's own");
    }

    /** The settings of the builder; {@code null} for the instance JUnit creates for {@code @ZkCluster}. */
    @Nullable
    ClusterSpec spec() {
        return spec;
    }

    /**
     * The ensemble of {@code declaration} as seen from {@code context}, started on first use; the extension in the
     * declaring field, if any, keeps it for {@link #ensemble()} (each class sharing a named ensemble has its own).
     */
    private static ClusterResource resource(ExtensionContext context, Declaration declaration) {
        ClusterResource resource = ClusterResource.of(context, declaration);
        ZkClusterExtension field = declaration.extension(context);
        if (field != null && !resource.isClosed()) {
            field.seen.add(resource);
        }
        return resource;
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Declaration> declaration = Declaration.find(context);
        if (declaration.isPresent() && declaration.get().scope == Declaration.Scope.CLASS) {
            resource(context, declaration.get());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<Declaration> declaration = Declaration.find(context);
        if (declaration.isEmpty()) {
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        String mark = TEST_MARK + context.getUniqueId();
        if (store.get(mark) != null) {
            return; // a second instance of this extension is registered: the first did the work
        }
        ClusterResource resource = resource(context, declaration.get());
        resource.beforeTest(context);
        store.put(mark, new TestMark(resource));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            InjectedClients.closeFor(context);
        } finally {
            TestMark mark = context.getStore(NAMESPACE).remove(TEST_MARK + context.getUniqueId(), TestMark.class);
            if (mark != null) {
                mark.resource.afterTest();
            }
        }
    }

    /** That {@link ClusterResource#beforeTest} ran for a test (deliberately not closeable: the store keeps it). */
    private record TestMark(ClusterResource resource) {}

    // ---------------------------------------------------------------------------------------------- injection

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        if (!Injection.handles(parameter)) {
            return false;
        }
        // When this extension is registered twice (a field, and @ExtendWith elsewhere), one instance answers.
        try {
            Optional<Declaration> declaration = Declaration.find(context);
            if (declaration.isPresent() && declaration.get().isField()) {
                return declaration.get().extension(context) == this;
            }
            return declaration.isEmpty() || spec == null;
        } catch (RuntimeException e) {
            return true; // resolveParameter reports it
        }
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Declaration declaration;
        try {
            declaration = Declaration.find(context).orElseThrow(() -> Injection.noEnsemble(parameter, context));
        } catch (ParameterResolutionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        ClusterResource resource = resource(context, declaration);
        return Injection.resolve(parameter, context, resource.ensemble());
    }

    // ---------------------------------------------------------------------------------------------- failures

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        attachState(context, throwable, "test");
        throw throwable;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        attachState(context, throwable, "@BeforeAll method");
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        attachState(context, throwable, "@BeforeEach method");
        throw throwable;
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        attachState(context, throwable, "@AfterEach method");
        throw throwable;
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        attachState(context, throwable, "@AfterAll method");
        throw throwable;
    }

    /**
     * Adds the ensemble's state now to a failure, as a suppressed {@link ZkClusterDiagnostics} and as a report
     * entry. Nothing for aborted tests (failed assumptions), for mistakes in how the test is declared (see
     * {@link #concernsEnsemble}), for contexts without a running ensemble, or for a failure that carries the state
     * already.
     */
    private static void attachState(ExtensionContext context, Throwable failure, String what) {
        if (failure instanceof TestAbortedException || !concernsEnsemble(failure)) {
            return;
        }
        for (Throwable s : failure.getSuppressed()) {
            if (s instanceof ZkClusterDiagnostics) {
                return;
            }
        }
        ClusterResource resource;
        try {
            Optional<Declaration> declaration = Declaration.find(context);
            resource = declaration.isEmpty() ? null : ClusterResource.existing(context, declaration.get());
        } catch (RuntimeException e) {
            return; // no ensemble to describe: the failure is about the declaration itself
        }
        if (resource == null) {
            return;
        }
        String where = context.getTestMethod()
                .map(m -> Declaration.methodName(context.getRequiredTestClass(), m))
                .orElseGet(() -> context.getRequiredTestClass().getName());
        String text;
        try {
            text = Diagnostics.describe(
                    resource.ensemble(), (what.equals("test") ? where : "the " + what + " of " + where) + " failed");
        } catch (RuntimeException e) {
            text = resource.ensemble().name() + ": its state could not be read: " + e;
        }
        failure.addSuppressed(new ZkClusterDiagnostics(text));
        context.publishReportEntry(ZkClusterDiagnostics.REPORT_KEY, text);
    }

    /**
     * Whether the ensemble's state may explain a failure. A parameter that could not be resolved because of how it
     * is declared (a bad {@code @ZkNodeId}, a {@code ZkNode} without one, no ensemble, a conflicting declaration, a
     * type no resolver knows) is a mistake in the test's code, and its message says all there is to say: JUnit and
     * this extension report those without a cause, or with one of JUnit's configuration exceptions as the cause.
     * A parameter the ensemble failed to answer (no leader in time, a client that did not connect) carries what
     * went wrong as its cause, and the state explains it; so does any other failure.
     */
    static boolean concernsEnsemble(Throwable failure) {
        if (failure instanceof ExtensionConfigurationException) {
            return false;
        }
        if (failure instanceof ParameterResolutionException) {
            Throwable cause = failure.getCause();
            return cause != null && !(cause instanceof JUnitException);
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------- builder

    /**
     * Settings for a {@code @RegisterExtension} field: what is JUnit's own ({@link #shared(String)},
     * {@link #resetBetweenTests(boolean)}), and {@link #configure(Consumer)} for every setting of the ensemble, in
     * the core builder's own words:
     *
     * <pre>{@code
     * ZkClusterExtension.builder()
     *     .configure(b -> b.voters(3).observers(1).tickTime(Duration.ofMillis(50)))
     *     .build();
     * }</pre>
     *
     * A bad value fails at once, as the core builder does ({@link IllegalArgumentException} naming the value and
     * what is allowed); checks that need every value (a per-server setting naming a server the ensemble lacks) are
     * made when the ensemble is built, like the annotation's.
     */
    public static final class Builder {

        private final List<ClusterSpec.Step> steps = new ArrayList<>();
        private boolean resetBetweenTests = ClusterSpec.DEFAULTS.resetBetweenTests();
        private String shared = ClusterSpec.DEFAULTS.shared();

        private Builder() {}

        /**
         * Settings of the ensemble: everything {@link ZkEnsemble.Builder} offers (voters, observers, tick time,
         * session timeouts, server settings, seeds, a base directory, ...), with its defaults and checks. The
         * customizer runs at once on a builder of its own, so that a bad value fails here, and again on a fresh
         * builder for each ensemble the extension starts; customizers run in the order given.
         *
         * @throws IllegalArgumentException (or whatever the customizer throws) for a bad value, at once
         */
        public Builder configure(Consumer<ZkEnsemble.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer must not be null");
            customizer.accept(ZkEnsemble.builder());
            steps.add(new ClusterSpec.Step("configure(...)", customizer));
            return this;
        }

        /** One ensemble for every class that declares the same name; see {@link ZkCluster#shared()}. */
        public Builder shared(String name) {
            this.shared = Objects.requireNonNull(name, "shared name must not be null");
            return this;
        }

        /** See {@link ZkCluster#resetBetweenTests()}. */
        public Builder resetBetweenTests(boolean reset) {
            this.resetBetweenTests = reset;
            return this;
        }

        /** The extension, to be put in a {@code @RegisterExtension} field of type {@code ZkClusterExtension}. */
        public ZkClusterExtension build() {
            return new ZkClusterExtension(
                    new ClusterSpec(ClusterSpec.Syntax.BUILDER, steps, resetBetweenTests, shared));
        }
    }
}
