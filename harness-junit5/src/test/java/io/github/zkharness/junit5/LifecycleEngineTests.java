package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Which ensemble each way of declaring one gives, and when it starts and closes. */
class LifecycleEngineTests {

    /** What the fixtures saw, in order; reset before each run. */
    static final List<ZkEnsemble> SEEN = new CopyOnWriteArrayList<>();

    static final List<String> NOTES = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
        NOTES.clear();
    }

    private static void assertAllPassed(EngineExecutionResults results, int tests) {
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.started(tests).succeeded(tests));
    }

    private static void assertClosed(ZkEnsemble ensemble) {
        assertThatThrownBy(ensemble::connectString).hasMessageEndingWith(" is closed");
    }

    // ------------------------------------------------------------------------------------------ class level

    @ZkCluster
    @Fixture
    static class ClassLevel {
        @Test
        void first(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
            assertThat(ensemble.nodes()).hasSize(3);
            assertThat(ensemble.findLeader()).isPresent();
        }

        @Test
        void second(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
        }

        @AfterAll
        static void stillRunningInAfterAll(ZkEnsemble ensemble) {
            NOTES.add("afterAll serving=" + ensemble.nodes().stream().allMatch(ZkNode::isServing));
        }
    }

    @Test
    void classLevelAnnotationSharesOneEnsembleAndClosesItAfterTheClass() {
        assertAllPassed(EngineRuns.run(ClassLevel.class), 2);
        assertThat(SEEN).hasSize(2);
        assertSame(SEEN.get(0), SEEN.get(1));
        assertThat(NOTES).containsExactly("afterAll serving=true");
        assertClosed(SEEN.get(0));
    }

    // ------------------------------------------------------------------------------------------ method level

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class MethodLevel {
        @BeforeEach
        void before(TestInfo test, @ZkConnectString String connectString) {
            NOTES.add(test.getTestMethod().orElseThrow().getName() + " @BeforeEach got "
                    + connectString.split(",").length);
        }

        @ZkCluster
        @Test
        @Order(1)
        void first(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
        }

        @ZkCluster(nodes = 1)
        @Test
        @Order(2)
        void second(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
            assertThat(ensemble.nodes()).hasSize(1);
            NOTES.add("first closed when the second ran: " + isClosed(SEEN.get(0)));
        }
    }

    static boolean isClosed(ZkEnsemble ensemble) {
        try {
            ensemble.connectString();
            return false;
        } catch (IllegalStateException e) {
            return e.getMessage().endsWith(" is closed");
        }
    }

    @Test
    void methodLevelAnnotationGivesEachTestItsOwnEnsemble() {
        assertAllPassed(EngineRuns.run(MethodLevel.class), 2);
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
        SEEN.forEach(LifecycleEngineTests::assertClosed);
        assertThat(NOTES)
                .containsExactly(
                        "first @BeforeEach got 3",
                        "second @BeforeEach got 1",
                        "first closed when the second ran: true");
    }

    @Fixture
    static class RepeatedWithMethodLevel {
        @ZkCluster(nodes = 1)
        @RepeatedTest(3)
        void repeated(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
        }
    }

    @Test
    void eachRepetitionOfAMethodLevelEnsembleIsFresh() {
        assertAllPassed(EngineRuns.run(RepeatedWithMethodLevel.class), 3);
        assertThat(SEEN).doesNotHaveDuplicates().hasSize(3);
    }

    // ------------------------------------------------------------------------------------------ nested

    @ZkCluster(nodes = 1)
    @Fixture
    static class Outer {
        @Test
        void outer(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
        }

        @Nested
        class Inner {
            @Test
            void inner(ZkEnsemble ensemble) {
                SEEN.add(ensemble);
            }

            @Nested
            class Deeper {
                @Test
                void deeper(ZkEnsemble ensemble) {
                    SEEN.add(ensemble);
                }
            }
        }
    }

    @Test
    void nestedClassesShareTheEnclosingClassEnsemble() {
        assertAllPassed(EngineRuns.run(Outer.class), 3);
        assertThat(SEEN).hasSize(3);
        assertThat(SEEN.stream().distinct()).hasSize(1);
        assertClosed(SEEN.get(0));
    }

    // ------------------------------------------------------------------------------------------ inherited, meta

    @ZkCluster(nodes = 3, observers = 1)
    abstract static class BaseWithCluster {}

    @Fixture
    static class Subclass extends BaseWithCluster {
        @Test
        void inherited(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
            assertThat(ensemble.voters()).hasSize(2);
            assertThat(ensemble.observers()).hasSize(1);
        }
    }

    @Test
    void subclassesInheritTheAnnotation() {
        assertAllPassed(EngineRuns.run(Subclass.class), 1);
        assertClosed(SEEN.get(0));
    }

    /** A team's own annotation. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Inherited
    @ZkCluster(nodes = 5, tickTimeMs = 50)
    @interface FiveNodeZk {}

    @FiveNodeZk
    @Fixture
    static class MetaAnnotated {
        @Test
        void five(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
            assertThat(ensemble.nodes()).hasSize(5);
            assertThat(ensemble.nodes().stream().filter(n -> n.role() == Role.LEADER))
                    .hasSize(1);
        }
    }

    @Test
    void aMetaAnnotationWorksAsZkClusterDoes() {
        assertAllPassed(EngineRuns.run(MetaAnnotated.class), 1);
        assertClosed(SEEN.get(0));
    }

    // ------------------------------------------------------------------------------------------ @RegisterExtension

    @Fixture
    static class StaticField {
        @RegisterExtension
        static ZkClusterExtension zk =
                ZkClusterExtension.builder().configure(b -> b.voters(1)).build();

        @BeforeAll
        static void before() {
            SEEN.add(zk.ensemble());
        }

        @Test
        void first(ZkEnsemble ensemble) {
            assertSame(zk.ensemble(), ensemble);
            SEEN.add(ensemble);
        }

        @Test
        void second(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
        }
    }

    @Test
    void aStaticFieldGivesOneEnsemblePerClass() {
        assertAllPassed(EngineRuns.run(StaticField.class), 2);
        assertThat(SEEN).hasSize(3);
        assertThat(SEEN.stream().distinct()).hasSize(1);
        assertThat(SEEN.get(0).nodes()).hasSize(1);
        assertClosed(SEEN.get(0));
        assertThatThrownBy(() -> StaticField.zk.ensemble())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No ensemble of this ZkClusterExtension runs now: a static field's starts before the first"
                        + " test of its class, an instance field's before each test, and each is closed when its class or"
                        + " test ends");
    }

    @Fixture
    static class InstanceField {
        @RegisterExtension
        ZkClusterExtension zk = ZkClusterExtension.builder()
                .configure(b -> b.voters(3))
                .configure(b -> b.voters(1))
                .build();

        @Test
        void first(ZkEnsemble ensemble) {
            assertSame(zk.ensemble(), ensemble);
            SEEN.add(ensemble);
        }

        @Test
        void second(ZkEnsemble ensemble) {
            assertSame(zk.ensemble(), ensemble);
            SEEN.add(ensemble);
        }
    }

    @Test
    void anInstanceFieldGivesEachTestItsOwnEnsembleAndCustomizersRunInOrder() {
        assertAllPassed(EngineRuns.run(InstanceField.class), 2);
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
        assertThat(SEEN.get(0).nodes()).hasSize(1);
        SEEN.forEach(LifecycleEngineTests::assertClosed);
    }

    @ExtendWith(ZkClusterExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class FieldAndExtendWith {
        @RegisterExtension
        static ZkClusterExtension zk =
                ZkClusterExtension.builder().configure(b -> b.voters(1)).build();

        @Test
        @Order(1)
        void first(ZkEnsemble ensemble, @ZkConnectString String connectString) {
            SEEN.add(ensemble);
            ensemble.node(1).kill();
        }

        @Test
        @Order(2)
        void second(ZkEnsemble ensemble) {
            SEEN.add(ensemble);
        }
    }

    @Test
    void anExtensionRegisteredTwiceStillActsOnce() {
        EngineExecutionResults results = EngineRuns.run(FieldAndExtendWith.class);
        assertAllPassed(results, 2);
        assertThat(SEEN.stream().distinct()).hasSize(1);
        assertThat(SEEN.get(0).nodes()).hasSize(1);
        assertThat(EngineRuns.reportValues(results, "second", ClusterResource.RESET_REPORT_KEY))
                .hasSize(1);
    }

    // ------------------------------------------------------------------------------------------ per-class instance

    @ZkCluster(nodes = 1)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Fixture
    static class PerClassLifecycle {
        private final ZkEnsemble fromConstructor;

        PerClassLifecycle(ZkEnsemble ensemble) {
            this.fromConstructor = ensemble;
        }

        @BeforeAll
        void before(ZkEnsemble ensemble) {
            assertSame(fromConstructor, ensemble);
        }

        @Test
        void test(ZkEnsemble ensemble) {
            assertSame(fromConstructor, ensemble);
            SEEN.add(ensemble);
        }
    }

    @Test
    void aPerClassTestInstanceGetsTheClassEnsembleInItsConstructor() {
        assertAllPassed(EngineRuns.run(PerClassLifecycle.class), 1);
        assertClosed(SEEN.get(0));
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class ConstructorInjection {
        private final ZkEnsemble fromConstructor;

        ConstructorInjection(ZkEnsemble ensemble) {
            this.fromConstructor = ensemble;
        }

        @Test
        void first(ZkEnsemble ensemble) {
            assertSame(fromConstructor, ensemble);
            SEEN.add(ensemble);
        }

        @Test
        void second(ZkEnsemble ensemble) {
            assertSame(fromConstructor, ensemble);
            SEEN.add(ensemble);
        }
    }

    @Test
    void aPerMethodTestInstanceGetsTheClassEnsembleInItsConstructor() {
        assertAllPassed(EngineRuns.run(ConstructorInjection.class), 2);
        assertThat(SEEN.stream().distinct()).hasSize(1);
    }
}
