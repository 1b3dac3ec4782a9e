package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @ZkCluster(shared = "...")}: one ensemble for many classes, reset between tests, taking turns. */
class SharedEnsembleEngineTests {

    static final List<ZkEnsemble> ENSEMBLES = new CopyOnWriteArrayList<>();
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    static final AtomicInteger INSIDE = new AtomicInteger();

    @BeforeEach
    void clear() {
        ENSEMBLES.clear();
        EVENTS.clear();
        INSIDE.set(0);
    }

    /** Each test writes the same path: it only works if every test finds the ensemble clean and alone. */
    static void work(ZkEnsemble ensemble, ZooKeeper client) throws Exception {
        if (INSIDE.incrementAndGet() != 1) {
            EVENTS.add("overlap");
        }
        ENSEMBLES.add(ensemble);
        client.create("/orders", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        LockSupport.parkNanos(50_000_000L); // work a little on the ensemble, so that a concurrent test would overlap
        INSIDE.decrementAndGet();
    }

    @ZkCluster(nodes = 3, shared = "orders")
    @Fixture
    static class First {
        @Test
        void a(ZkEnsemble ensemble, ZooKeeper client) throws Exception {
            work(ensemble, client);
        }

        @Test
        void b(ZkEnsemble ensemble, ZooKeeper client) throws Exception {
            work(ensemble, client);
        }
    }

    @ZkCluster(nodes = 3, shared = "orders")
    @Fixture
    static class Second {
        @Test
        void c(ZkEnsemble ensemble, ZooKeeper client) throws Exception {
            work(ensemble, client);
        }

        @Test
        void d(ZkEnsemble ensemble, ZooKeeper client) throws Exception {
            work(ensemble, client);
        }
    }

    @ZkCluster(nodes = 3, shared = "orders", failOnThreadDeath = true)
    @Fixture
    static class Strict {
        @Test
        void f(ZkEnsemble ensemble) {
            ENSEMBLES.add(ensemble);
        }
    }

    @ZkCluster(nodes = 5, shared = "orders")
    @Fixture
    static class Different {
        @Test
        void e(ZkEnsemble ensemble) {
            ENSEMBLES.add(ensemble);
        }
    }

    /** Whichever test gets the shared ensemble first holds it until the other has given up waiting. */
    static void holdUntilTheOtherGaveUp(String me) {
        EVENTS.add("running " + me);
        await("the other test giving up its wait for the shared ensemble")
                .atMost(Duration.ofSeconds(30))
                .until(() -> EVENTS.stream().anyMatch(e -> e.startsWith("after ") && !e.equals("after " + me)));
    }

    @ZkCluster(nodes = 1, shared = "held")
    @Fixture
    static class HolderOne {
        @Test
        void hold() {
            holdUntilTheOtherGaveUp("one");
        }

        /** An after-each callback runs also when the extension's before-each failed (an @AfterEach would not). */
        @RegisterExtension
        static final AfterEachCallback AFTER = context -> EVENTS.add("after one");
    }

    @ZkCluster(nodes = 1, shared = "held")
    @Fixture
    static class HolderTwo {
        @Test
        void hold() {
            holdUntilTheOtherGaveUp("two");
        }

        /** An after-each callback runs also when the extension's before-each failed (an @AfterEach would not). */
        @RegisterExtension
        static final AfterEachCallback AFTER = context -> EVENTS.add("after two");
    }

    @Test
    void aTestThatWaitsTooLongForItsTurnFailsNamingTheTestThatHoldsTheEnsemble() {
        EngineExecutionResults results = EngineRuns.run(
                Map.of(
                        "junit.jupiter.execution.parallel.enabled",
                        "true",
                        "junit.jupiter.execution.parallel.mode.default",
                        "concurrent",
                        "junit.jupiter.execution.parallel.mode.classes.default",
                        "concurrent",
                        ClusterResource.TURN_TIMEOUT,
                        "1"),
                HolderOne.class,
                HolderTwo.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        Throwable failure = EngineRuns.onlyFailure(results);
        String holder = EVENTS.contains("running one") ? HolderOne.class.getName() : HolderTwo.class.getName();
        String waiter =
                holder.equals(HolderOne.class.getName()) ? HolderTwo.class.getName() : HolderOne.class.getName();
        assertThat(failure)
                .isInstanceOf(ZkTimeoutException.class)
                .hasMessageStartingWith(waiter + ".hold() waited 1 s for its turn on the shared ZooKeeper ensemble"
                        + " \"held\", held by " + holder + ".hold() since ")
                .hasMessageContaining("raise the configuration parameter zkharness.shared.turnTimeoutSeconds"
                        + " (seconds, default 600)");
    }

    @Test
    void aTurnTimeoutThatIsNotAWholeNumberOfSecondsFailsNamingTheValue() {
        EngineExecutionResults results = EngineRuns.run(Map.of(ClusterResource.TURN_TIMEOUT, "5m"), HolderOne.class);
        assertThat(EngineRuns.onlyFailure(results))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("The configuration parameter zkharness.shared.turnTimeoutSeconds is \"5m\"; it must be a"
                        + " whole number of seconds, at least 1 (default 600)");
    }

    @Test
    void classesWithTheSameNameShareOneEnsembleResetBetweenTestsAndClosedAtTheEnd() {
        EngineExecutionResults results = EngineRuns.run(First.class, Second.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(ENSEMBLES).hasSize(4);
        assertThat(ENSEMBLES.stream().distinct()).hasSize(1);
        assertThat(ENSEMBLES.get(0).isClosed()).isTrue();
    }

    @Test
    void testsOnASharedEnsembleTakeTurnsInParallelMode() {
        EngineExecutionResults results = EngineRuns.run(
                Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent"),
                First.class,
                Second.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(EVENTS).doesNotContain("overlap");
        assertThat(ENSEMBLES.stream().distinct()).hasSize(1);
    }

    @Test
    void aClassThatSharesTheNameWithOtherSettingsFailsNamingBoth() {
        EngineExecutionResults results = EngineRuns.run(First.class, Different.class);
        Throwable failure = EngineRuns.onlyFailure(results);
        assertThat(failure)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("The shared ZooKeeper ensemble \"orders\" was started for @ZkCluster on class "
                        + First.class.getName() + " with nodes = 3,")
                .hasMessageContaining("but @ZkCluster on class " + Different.class.getName() + " asks for nodes = 5,");
    }

    @Test
    void everyAttributeIsPartOfTheSharedSettingsFailOnThreadDeathIncluded() {
        EngineExecutionResults results = EngineRuns.run(First.class, Strict.class);
        assertThat(EngineRuns.onlyFailure(results))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("failOnThreadDeath = false")
                .hasMessageContaining("but @ZkCluster on class " + Strict.class.getName() + " asks for")
                .hasMessageContaining("failOnThreadDeath = true");
    }
}
