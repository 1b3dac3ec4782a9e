package io.github.zkharness.release;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.github.zkharness.release.Modules.BENCHMARKS;
import static io.github.zkharness.release.Modules.EXAMPLES;
import static io.github.zkharness.release.Modules.HARNESS_CORE;
import static io.github.zkharness.release.Modules.HARNESS_JUNIT5;
import static io.github.zkharness.release.Modules.HARNESS_SANDBOX;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.Set;
import org.apiguardian.api.API;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules the build checks, on the compiled classes of every module (docs/ARCHITECTURE.md, "Rules the build
 * checks"). Each rule's message says what to do when it fails.
 */
class ArchitectureRulesTests {

    private static final String INTERNAL = "io.github.zkharness.internal..";

    /**
     * DiskBench measures the overhead of the harness's own storage layer against ZooKeeper's: it builds that layer
     * directly, which no public API offers (nor should). These three classes are all it may use.
     */
    private static final String DISK_BENCH = "io.github.zkharness.bench.DiskBench";

    private static final Set<String> DISK_BENCH_INTERNALS = Set.of(
            "io.github.zkharness.internal.DiskState",
            "io.github.zkharness.internal.JvmGlobals",
            "io.github.zkharness.internal.server.NodeStorage");

    private static JavaClasses published;
    private static JavaClasses all;

    @BeforeAll
    static void importTheModules() {
        published = Modules.classesOf(HARNESS_CORE, HARNESS_JUNIT5);
        all = Modules.classesOf(HARNESS_CORE, HARNESS_JUNIT5, HARNESS_SANDBOX, BENCHMARKS, EXAMPLES);
    }

    @Test
    void everyPublicTypeOfThePublishedModulesSaysItsApiStatus() {
        classes()
                .that()
                .arePublic()
                .and()
                .areTopLevelClasses()
                .should()
                .beAnnotatedWith(API.class)
                .because("users read @API(status = ...) to know what they may rely on before 1.0: annotate the type"
                        + " with @API(status = STABLE | MAINTAINED | EXPERIMENTAL, since = \"<version>\"), or"
                        + " INTERNAL if it is public only for the harness's own packages")
                .check(published);
    }

    /**
     * No cycle between packages, with one stated exception, a rule of the design: the internal packages implement the
     * public API and may use its vocabulary (exceptions, enums, records, the {@code Fault} handle), which sits in the
     * public package beside the facade that uses the internals; never the facade's handles.
     */
    @Test
    void noPackageCycles() {
        slices().matching("io.github.(**)")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .because("packages form layers (docs/ARCHITECTURE.md): move the class that closes the cycle into"
                        + " the lower package, or let the higher package reach the lower one through a static"
                        + " factory of the lower one (as ChaosSchedule.of(zk)) instead of the other way round")
                .ignoreDependency(resideInAPackage(INTERNAL), publicVocabulary())
                .check(all);
    }

    /**
     * The promise of the guide's "What the harness does to your JVM": the library writes JVM-wide settings in one
     * documented place, {@code JvmGlobals} with its part for secured ensembles, {@code JvmSecurityGlobals}.
     */
    @Test
    void onlyJvmGlobalsWritesSystemPropertiesOrTheJaasConfiguration() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("io.github.zkharness.internal.JvmGlobals")
                .and()
                .doNotHaveFullyQualifiedName("io.github.zkharness.internal.JvmSecurityGlobals")
                .should()
                .callMethod(System.class, "setProperty", String.class, String.class)
                .orShould()
                .callMethod(System.class, "clearProperty", String.class)
                .orShould()
                .callMethod(System.class, "setProperties", java.util.Properties.class)
                .orShould()
                .callMethod(
                        javax.security.auth.login.Configuration.class,
                        "setConfiguration",
                        javax.security.auth.login.Configuration.class)
                .because("the guide promises one documented place for JVM-wide settings: add the setting to"
                        + " internal/JvmGlobals (or JvmSecurityGlobals for TLS and SASL), restore it at close, and"
                        + " list it in docs/guide/what-the-harness-does-to-your-jvm.md")
                .check(published);
    }

    @Test
    void harnessCoreKnowsNothingOfJUnit() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.junit..")
                .because("harness-core is usable from any test framework: JUnit belongs in harness-junit5, which"
                        + " adapts the core's builder; move the JUnit-specific part there")
                .check(HARNESS_CORE.classes());
    }

    /**
     * The bridge of the isolated runtime: ZooKeeper's server classes load in a class loader of each node's own, with
     * the harness's ZooKeeper side ({@code internal.server}, the harness classes in ZooKeeper's packages). Any other
     * harness class that named a server type would load it from the application, and the two copies would not meet.
     */
    @Test
    void onlyTheZooKeeperSideUsesZooKeepersServerTypes() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.github.zkharness.internal.server..", "org.apache.zookeeper..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.zookeeper.server..")
                .because("on the isolated runtime a node's ZooKeeper server loads in a class loader of its own: reach"
                        + " it through PeerBridge (add a method there, implemented in internal.server.ServerPeer)")
                .check(published);
    }

    @Test
    void theSandboxAndTheBenchmarksUseNoInternalClass() {
        noClasses()
                .that()
                .resideInAnyPackage("io.github.zkharness.sandbox..", "io.github.zkharness.bench..")
                .and()
                .doNotHaveFullyQualifiedName(DISK_BENCH)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(INTERNAL)
                .orShould()
                .dependOnClassesThat(internalByStatus())
                .because("io.github.zkharness.internal may change in any release and is used by harness-core and"
                        + " harness-junit5 only: use the public API, or add to it (with @API) what is missing")
                .check(all);
    }

    @Test
    void diskBenchUsesOnlyTheStorageLayerItMeasures() {
        noClasses()
                .that()
                .haveFullyQualifiedName(DISK_BENCH)
                .should()
                .dependOnClassesThat(resideInAPackage(INTERNAL).and(not(named(DISK_BENCH_INTERNALS))))
                .because("DiskBench is the one benchmark allowed inside io.github.zkharness.internal, for "
                        + DISK_BENCH_INTERNALS + " only; measure anything else through the public API")
                .check(all);
    }

    @Test
    void theExamplesUseOnlyThePublicApi() {
        noClasses()
                .that()
                .resideInAPackage("io.github.zkharness.examples..")
                .should()
                .dependOnClassesThat(resideInAPackage(INTERNAL).or(internalByStatus()))
                .because("the examples are the documentation users copy from: show only what they may use (public"
                        + " packages, no @API(status = INTERNAL) type); if an example needs more, add it to the"
                        + " public API first")
                .check(all);
    }

    /**
     * Types annotated {@code @API(status = INTERNAL)}: public for the harness's own packages only (among them
     * {@code HarnessQuorumPeer}, which must sit in ZooKeeper's package).
     */
    private static DescribedPredicate<JavaClass> internalByStatus() {
        return DescribedPredicate.describe(
                "are annotated @API(status = INTERNAL)",
                type -> type.tryGetAnnotationOfType(API.class)
                        .map(api -> api.status() == API.Status.INTERNAL)
                        .orElse(false));
    }

    private static DescribedPredicate<JavaClass> named(Set<String> names) {
        return DescribedPredicate.describe("are one of " + names, type -> names.contains(type.getName()));
    }

    private static DescribedPredicate<JavaClass> named(String... names) {
        return named(Set.of(names));
    }

    /** A class and the classes nested in it. */
    private static DescribedPredicate<JavaClass> nestedIn(String name) {
        return DescribedPredicate.describe(
                name + " or nested in it",
                type -> type.getName().equals(name) || type.getName().startsWith(name + "$"));
    }

    /**
     * The public API's vocabulary, which the internal packages may use: its exceptions, enums, records and the
     * {@code Fault} handle, in the public packages of harness-core. Not the facade ({@code ZkEnsemble}, {@code ZkNode},
     * {@code ZkNetwork}, {@code ZkDisk}): an internal class that needs those closes a cycle.
     */
    private static DescribedPredicate<JavaClass> publicVocabulary() {
        return DescribedPredicate.describe(
                "are the public API's exceptions, enums, records or Fault",
                type -> type.getPackageName().startsWith("io.github.zkharness")
                        && !type.getPackageName().contains(".internal")
                        && (type.isEnum()
                                || type.getSimpleName().endsWith("Exception")
                                || type.getRawSuperclass()
                                        .map(parent -> parent.isEquivalentTo(Record.class))
                                        .orElse(false)
                                || type.getName().equals("io.github.zkharness.Fault")));
    }
}
