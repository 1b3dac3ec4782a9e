package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.lang.reflect.Executable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Each misuse fails with a precise exception and message, asserted word for word. */
class MisuseEngineTests {

    private static Throwable failureOf(Class<?> fixture) {
        return EngineRuns.onlyFailure(EngineRuns.run(fixture));
    }

    /** As JUnit and the extension name a parameter: {@code parameter [T argN] in method [...]}. */
    private static String parameter(Executable executable, int index) {
        return "parameter [" + executable.getParameters()[index] + "] in method [" + executable.toGenericString() + "]";
    }

    private static Executable method(Class<?> type, String name) {
        return java.util.Arrays.stream(type.getDeclaredMethods())
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    // ------------------------------------------------------------------------------------------ invalid values

    @ZkCluster(nodes = 0)
    @Fixture
    static class NoNodes {
        @Test
        void test() {}
    }

    @Test
    void zeroNodesNamesTheValueAndTheRange() {
        assertThat(failureOf(NoNodes.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(nodes = 0) on class " + NoNodes.class.getName()
                        + ": voters must be between 1 and 15, got 0");
    }

    @ZkCluster(nodes = 3, observers = 3)
    @Fixture
    static class NoVoterLeft {
        @Test
        void test() {}
    }

    @Test
    void observersAreCountedAmongTheNodesAndOneMustVote() {
        assertThat(failureOf(NoVoterLeft.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(nodes = 3, observers = 3) on class " + NoVoterLeft.class.getName()
                        + ": nodes counts every server, observers included, and at least one of them must vote:"
                        + " observers must be fewer than nodes, got nodes = 3, observers = 3");
    }

    @ZkCluster(nodes = 20, observers = 2)
    @Fixture
    static class TooManyVoters {
        @Test
        void test() {}
    }

    @Test
    void theVotersLeftAreCheckedByTheCoreBuilderAndBothValuesAreQuoted() {
        assertThat(failureOf(TooManyVoters.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(nodes = 20, observers = 2) on class " + TooManyVoters.class.getName()
                        + ": voters must be between 1 and 15, got 18");
    }

    @ZkCluster(sessionTimeoutsMs = {200, 400, 800})
    @Fixture
    static class ThreeSessionTimeouts {
        @Test
        void test() {}
    }

    @Test
    void sessionTimeoutsAreTwoValues() {
        assertThat(failureOf(ThreeSessionTimeouts.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(sessionTimeoutsMs = {200, 400, 800}) on class "
                        + ThreeSessionTimeouts.class.getName()
                        + ": session timeouts are {min, max} in milliseconds, two values");
    }

    @Test
    void theBuilderChecksEachValueAtOnceLikeTheCoreBuilder() {
        assertThatThrownBy(() -> ZkClusterExtension.builder().configure(b -> b.voters(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("voters must be between 1 and 15, got 0");
        assertThatThrownBy(() -> ZkClusterExtension.builder()
                        .configure(b -> b.sessionTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min session timeout PT2S exceeds max PT1S");
        assertThatThrownBy(() -> ZkClusterExtension.builder().configure(b -> b.serverSetting("nope", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> ZkClusterExtension.builder().configure(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("customizer must not be null");
    }

    @Fixture
    static class BadValueOnMethodWithParameters {
        @ZkCluster(initLimit = 0)
        @Test
        void test(ZkEnsemble ensemble, @ZkNodeId(1) ZkNode node) {}
    }

    @Test
    void aBadValueWithParametersFailsWithItsMessageAlone() {
        EngineExecutionResults results = EngineRuns.run(BadValueOnMethodWithParameters.class);
        Throwable failure = EngineRuns.onlyFailure(results);
        assertThat(failure)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(initLimit = 0) on method "
                        + BadValueOnMethodWithParameters.class.getName()
                        + "#test(ZkEnsemble, ZkNode): initLimit must be at least 1 tick, got 0");
        assertNoDiagnostics(failure);
        assertThat(EngineRuns.reportValues(results, ZkClusterDiagnostics.REPORT_KEY))
                .isEmpty();
    }

    @Fixture
    static class BadTickOnMethod {
        @ZkCluster(tickTimeMs = 0)
        @Test
        void test() {}
    }

    @Test
    void aMethodLevelValueIsNamedWithItsMethod() {
        assertThat(failureOf(BadTickOnMethod.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(tickTimeMs = 0) on method " + BadTickOnMethod.class.getName()
                        + "#test(): tickTime must be positive, got PT0S");
    }

    @ZkCluster(serverSettings = "maxClientCnxns")
    @Fixture
    static class SettingWithoutValue {
        @Test
        void test() {}
    }

    @Test
    void aServerSettingWithoutEqualsSign() {
        assertThat(failureOf(SettingWithoutValue.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(serverSettings = \"maxClientCnxns\") on class "
                        + SettingWithoutValue.class.getName() + ": a server setting is written \"key=value\"");
    }

    @ZkCluster(saslUsers = "alice")
    @Fixture
    static class SaslUserWithoutPassword {
        @Test
        void test() {}
    }

    @Test
    void aSaslUserWithoutColon() {
        assertThat(failureOf(SaslUserWithoutPassword.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(saslUsers = \"alice\") on class "
                        + SaslUserWithoutPassword.class.getName() + ": a SASL user is written \"user:password\"");
    }

    @ZkCluster(fourLetterWords = "STAT")
    @Fixture
    static class BadWord {
        @Test
        void test() {}
    }

    @Test
    void aBadFourLetterWord() {
        assertThat(failureOf(BadWord.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(fourLetterWords = {\"STAT\"}) on class " + BadWord.class.getName()
                        + ": four-letter word must be four lowercase letters or \"*\", got STAT");
    }

    @Fixture
    static class BadCustomizer {
        @RegisterExtension
        static ZkClusterExtension zk = ZkClusterExtension.builder()
                .configure(b -> b.serverSetting(7, "maxClientCnxns", "5"))
                .build();

        @Test
        void test() {}
    }

    @Test
    void aCheckTheCoreBuilderMakesOnlyAtTheEnd() {
        assertThat(failureOf(BadCustomizer.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid ZkClusterExtension.builder() in field " + BadCustomizer.class.getName()
                        + ".zk: serverSetting names server 7 but ids run 1..3");
    }

    @ZkCluster(startTimeoutMs = 1)
    @Fixture
    static class CannotStart {
        static final List<ZkEnsemble> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Test
        void test(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
        }
    }

    @Test
    void anEnsembleThatCannotStartFailsTheClassWithTheStartsOwnMessage() {
        EngineExecutionResults results = EngineRuns.run(CannotStart.class);
        results.testEvents().assertStatistics(s -> s.started(0));
        assertThat(EngineRuns.onlyFailure(results))
                .isInstanceOf(ZkStartException.class)
                .hasMessageMatching("ensemble zk-harness-\\d+ did not start: Timed out after 1 ms waiting for .*");
        assertThat(CannotStart.SEEN).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ no ensemble

    @ExtendWith(ZkClusterExtension.class)
    @Fixture
    static class NoEnsemble {
        @Test
        void test(ZooKeeper client) {}
    }

    @Test
    void aClientWithoutAnyEnsemble() {
        assertThat(failureOf(NoEnsemble.class))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessage("No ZooKeeper ensemble is declared for " + parameter(method(NoEnsemble.class, "test"), 0)
                        + ": annotate the test class or method with @ZkCluster, or register a ZkClusterExtension with"
                        + " @RegisterExtension");
    }

    @Fixture
    static class EnsembleOnAnotherMethod {
        @ZkCluster(nodes = 1)
        @Test
        void withEnsemble(ZkEnsemble ensemble) {}

        @Test
        void withoutEnsemble(ZkEnsemble ensemble) {}
    }

    @Test
    void anEnsembleOnOneMethodIsNotThereForAnother() {
        // The extension is not even registered for the second method: JUnit itself says so.
        EngineExecutionResults results = EngineRuns.run(EnsembleOnAnotherMethod.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(EngineRuns.onlyFailure(results))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageStartingWith("No ParameterResolver registered for "
                        + parameter(method(EnsembleOnAnotherMethod.class, "withoutEnsemble"), 0));
    }

    @ExtendWith(ZkClusterExtension.class)
    @Fixture
    static class ConstructorAndPerTestEnsemble {
        ConstructorAndPerTestEnsemble(ZkEnsemble ensemble) {}

        @ZkCluster(nodes = 1)
        @Test
        void test() {}
    }

    @Test
    void aPerTestEnsembleCannotGoIntoTheConstructor() throws Exception {
        var constructor = ConstructorAndPerTestEnsemble.class.getDeclaredConstructor(ZkEnsemble.class);
        assertThat(failureOf(ConstructorAndPerTestEnsemble.class))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessage(
                        "No ZooKeeper ensemble for parameter [" + constructor.getParameters()[0] + "] in constructor ["
                                + constructor.toGenericString() + "]: the ensemble of @ZkCluster on method "
                                + ConstructorAndPerTestEnsemble.class.getName()
                                + "#test() exists only while a test runs; take the"
                                + " parameter in the test or in a @BeforeEach method, or declare the ensemble on the class");
    }

    @Fixture
    static class AnnotatedParametersWithoutEnsemble {
        @Test
        void node(@ZkNodeId(1) ZkNode node) {}

        @Test
        void leader(@ZkLeader ZkNode leader) {}

        @Test
        void connectString(@ZkConnectString String connectString) {}

        @Test
        void client(@ZkNodeId(2) ZooKeeper client) {}
    }

    @Test
    void anAnnotatedParameterWithoutAnyEnsembleSaysWhatToAdd() {
        Class<?> c = AnnotatedParametersWithoutEnsemble.class;
        EngineExecutionResults results = EngineRuns.run(c);
        results.testEvents().assertStatistics(s -> s.failed(4));
        assertThat(EngineRuns.failures(results))
                .allSatisfy(t -> assertThat(t).isInstanceOf(ParameterResolutionException.class))
                .allSatisfy(MisuseEngineTests::assertNoDiagnostics)
                .extracting(Throwable::getMessage)
                .containsExactlyInAnyOrder(
                        noEnsemble(method(c, "node")),
                        noEnsemble(method(c, "leader")),
                        noEnsemble(method(c, "connectString")),
                        noEnsemble(method(c, "client")));
        assertThat(EngineRuns.reportValues(results, ZkClusterDiagnostics.REPORT_KEY))
                .isEmpty();
    }

    private static String noEnsemble(Executable method) {
        return "No ZooKeeper ensemble is declared for " + parameter(method, 0)
                + ": annotate the test class or method with @ZkCluster, or register a ZkClusterExtension with"
                + " @RegisterExtension";
    }

    private static void assertNoDiagnostics(Throwable failure) {
        assertThat(failure.getSuppressed())
                .as("suppressed of %s", failure)
                .noneMatch(s -> s instanceof ZkClusterDiagnostics);
    }

    // ------------------------------------------------------------------------------------------ conflicts

    private static String conflict(String target, String... declarations) {
        return "Conflicting ZooKeeper ensembles for " + target + ": " + String.join(" and ", declarations)
                + ". A test gets exactly one ensemble: keep one declaration, or move the tests that need another"
                + " ensemble to a class of their own";
    }

    @ZkCluster
    @Fixture
    static class AnnotationAndField {
        @RegisterExtension
        static ZkClusterExtension zk = ZkClusterExtension.builder().build();

        @Test
        void test() {}
    }

    @Test
    void anAnnotatedClassWithAnExtensionField() {
        String name = AnnotationAndField.class.getName();
        assertThat(failureOf(AnnotationAndField.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(conflict(
                        "class " + name, "@ZkCluster on class " + name, "@RegisterExtension field " + name + ".zk"));
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class AnnotationAndAnotherExtensionField {
        static final List<String> CALLED = new CopyOnWriteArrayList<>();

        /** Of a type ZkClusterExtension also has, but another extension: not a second ensemble. */
        @RegisterExtension
        static final AfterEachCallback OTHER = context -> CALLED.add(context.getDisplayName());

        @Test
        void test(ZkEnsemble ensemble) {}
    }

    @Test
    void anAnnotatedClassWithAnotherExtensionInAFieldOfASharedTypeRuns() {
        AnnotationAndAnotherExtensionField.CALLED.clear();
        EngineExecutionResults results = EngineRuns.run(AnnotationAndAnotherExtensionField.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(AnnotationAndAnotherExtensionField.CALLED).containsExactly("test(ZkEnsemble)");
    }

    @ZkLifecycleTestsMeta
    @Fixture
    static class ClassAndMethod {
        @ZkCluster(nodes = 1)
        @Test
        void conflicting() {}

        @Test
        void fine(ZkEnsemble ensemble) {}
    }

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @ZkCluster(nodes = 1)
    @interface ZkLifecycleTestsMeta {}

    @Test
    void anAnnotatedClassWithAnAnnotatedMethod() {
        String name = ClassAndMethod.class.getName();
        EngineExecutionResults results = EngineRuns.run(ClassAndMethod.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(EngineRuns.onlyFailure(results))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(conflict(
                        "method " + name + "#conflicting()",
                        "@ZkCluster on class " + name + " (via @ZkLifecycleTestsMeta)",
                        "@ZkCluster on method " + name + "#conflicting()"));
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class OuterAndNested {
        @Test
        void outer() {}

        @Nested
        @ZkCluster(nodes = 1)
        class Inner {
            @Test
            void inner() {}
        }
    }

    @Test
    void aNestedClassUnderAnAnnotatedClass() {
        String outer = OuterAndNested.class.getName();
        String inner = OuterAndNested.Inner.class.getName();
        EngineExecutionResults results = EngineRuns.run(OuterAndNested.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(EngineRuns.onlyFailure(results))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(conflict("class " + inner, "@ZkCluster on class " + outer, "@ZkCluster on class " + inner));
    }

    @Fixture
    static class TwoFields {
        @RegisterExtension
        static ZkClusterExtension one = ZkClusterExtension.builder().build();

        @RegisterExtension
        ZkClusterExtension two = ZkClusterExtension.builder().build();

        @Test
        void test() {}
    }

    @Test
    void twoExtensionFields() {
        String name = TwoFields.class.getName();
        assertThat(failureOf(TwoFields.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(conflict(
                        "class " + name,
                        "@RegisterExtension field " + name + ".one",
                        "@RegisterExtension field " + name + ".two"));
    }

    // ------------------------------------------------------------------------------------------ parameters

    @ZkCluster
    @Fixture
    static class BadParameters {
        @Test
        void unknownId(@ZkNodeId(9) ZkNode node) {}

        @Test
        void whichNode(ZkNode node) {}

        @Test
        void both(@ZkNodeId(1) @ZkLeader ZkNode node) {}

        @Test
        void notAString(@ZkConnectString int port) {}

        @Test
        void qualifiedEnsemble(@ZkLeader ZkEnsemble ensemble) {}

        @Test
        void unknownType(StringBuilder notOurs) {}
    }

    @Test
    void parametersTheExtensionCannotResolveSayWhyWithoutTheEnsemblesState() {
        Class<?> c = BadParameters.class;
        EngineExecutionResults results = EngineRuns.run(c);
        results.testEvents().assertStatistics(s -> s.failed(6));
        assertThat(EngineRuns.failures(results)).allSatisfy(MisuseEngineTests::assertNoDiagnostics);
        assertThat(EngineRuns.reportValues(results, ZkClusterDiagnostics.REPORT_KEY))
                .isEmpty();
        List<String> messages = EngineRuns.failures(results).stream()
                .peek(t -> assertThat(t).isInstanceOf(ParameterResolutionException.class))
                .map(Throwable::getMessage)
                .toList();
        List<String> unresolved = messages.stream()
                .filter(m -> m.startsWith("No ParameterResolver"))
                .toList(); // JUnit's own, worded by the JUnit version
        assertThat(messages.stream().filter(m -> !unresolved.contains(m)))
                .containsExactlyInAnyOrder(
                        "@ZkNodeId(9) on " + parameter(method(c, "unknownId"), 0)
                                + ": the ensemble's node ids are [1, 2, 3]",
                        "P" + parameter(method(c, "whichNode"), 0).substring(1)
                                + " is a ZkNode: annotate it with @ZkNodeId(id) or @ZkLeader to say which node",
                        "P" + parameter(method(c, "both"), 0).substring(1)
                                + " has both @ZkNodeId and @ZkLeader; keep one",
                        "@ZkConnectString on " + parameter(method(c, "notAString"), 0)
                                + ": the parameter must be a String",
                        "@ZkLeader on " + parameter(method(c, "qualifiedEnsemble"), 0)
                                + ": a ZkEnsemble is the whole ensemble; take a ZkNode parameter for one node");
        assertThat(unresolved)
                .singleElement(as(STRING))
                .startsWith("No ParameterResolver registered for " + parameter(method(c, "unknownType"), 0));
    }
}
