package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Under JUnit's parallel mode: classes with their own ensembles run at once; tests sharing a reset one may not. */
class ParallelEngineTests {

    static final List<ZkEnsemble> SEEN = new CopyOnWriteArrayList<>();
    /** Each class's test waits here for the other's: only passes if both run at the same time. */
    static volatile CountDownLatch bothRunning;

    @BeforeEach
    void clear() {
        SEEN.clear();
        bothRunning = new CountDownLatch(2);
    }

    private static Map<String, String> parallel(String methodMode) {
        Map<String, String> p = new HashMap<>();
        p.put("junit.jupiter.execution.parallel.enabled", "true");
        p.put("junit.jupiter.execution.parallel.mode.default", methodMode);
        p.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        p.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
        p.put("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        return p;
    }

    static void meetTheOther(ZkEnsemble ensemble) throws InterruptedException {
        SEEN.add(ensemble);
        bothRunning.countDown();
        assertThat(bothRunning.await(20, TimeUnit.SECONDS))
                .as("the other class ran at the same time")
                .isTrue();
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class First {
        @Test
        void first(ZkEnsemble ensemble) throws Exception {
            meetTheOther(ensemble);
        }
    }

    @Fixture
    static class Second {
        @RegisterExtension
        static ZkClusterExtension zk =
                ZkClusterExtension.builder().configure(b -> b.voters(3)).build();

        @Test
        void second(ZkEnsemble ensemble) throws Exception {
            assertThat(zk.ensemble()).isSameAs(ensemble);
            meetTheOther(ensemble);
        }
    }

    @Test
    void classesWithTheirOwnEnsemblesRunConcurrently() {
        EngineExecutionResults results = EngineRuns.run(parallel("same_thread"), First.class, Second.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class SharedAndConcurrent {
        @Test
        void one() {}

        @Test
        void two() {}
    }

    @Test
    void testsSharingAResetEnsembleMayNotRunConcurrently() {
        EngineExecutionResults results = EngineRuns.run(parallel("concurrent"), SharedAndConcurrent.class);
        results.testEvents().assertStatistics(s -> s.failed(2));
        assertThat(EngineRuns.failures(results))
                .allSatisfy(failure -> assertThat(failure)
                        .isInstanceOf(ExtensionConfigurationException.class)
                        .hasMessageStartingWith("Tests sharing the ZooKeeper ensemble of @ZkCluster on class "
                                + SharedAndConcurrent.class.getName()
                                + " run concurrently, but the ensemble is reset before each"
                                + " test, under the feet of the others (seen at ")
                        .hasMessageEndingWith(
                                "). Let them run one at a time (@Execution(ExecutionMode.SAME_THREAD) on the"
                                        + " class, or junit.jupiter.execution.parallel.mode.default=same_thread with"
                                        + " junit.jupiter.execution.parallel.mode.classes.default=concurrent), or declare"
                                        + " resetBetweenTests = false"));
    }

    @ZkCluster(nodes = 1, resetBetweenTests = false)
    @Fixture
    static class SharedWithoutReset {
        @Test
        void one(ZkEnsemble ensemble) throws Exception {
            meetTheOther(ensemble);
        }

        @Test
        void two(ZkEnsemble ensemble) throws Exception {
            meetTheOther(ensemble);
        }
    }

    @Test
    void withoutResetTheTestsOfAClassMayShareItsEnsembleConcurrently() {
        EngineExecutionResults results = EngineRuns.run(parallel("concurrent"), SharedWithoutReset.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.stream().distinct()).hasSize(1);
    }
}
