package io.github.zkharness.junit5.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import io.github.zkharness.testkit.Fixture;
import java.util.List;
import java.util.Locale;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Shared ensemble with a reset before each test, against a fresh ensemble per test: the same 50-test class run
 * through the JUnit engine both ways. Not a test (nothing asserts a time); run it with
 *
 * <pre>
 * ./mvnw -B -q -pl harness-junit5 test-compile
 * ./mvnw -B -q -pl harness-junit5 dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "harness-junit5/target/test-classes:harness-junit5/target/classes:$(cat harness-junit5/target/cp.txt)" \
 *     io.github.zkharness.junit5.bench.ResetBenchmark [rounds]
 * </pre>
 *
 * Prints, per round, {@code suite50 shared_ms=... fresh_ms=... ratio=...} (ratio = fresh / shared) and the median of
 * the resets the shared run made.
 */
public final class ResetBenchmark {

    static final int TESTS = 50;

    private ResetBenchmark() {}

    /** What each test does: a client, a few writes and reads; every 10th test kills a follower, every 10th cuts one off. */
    static void work(ZooKeeper client, ZkEnsemble ensemble, int repetition) throws Exception {
        if (client.exists("/app", false) != null) {
            throw new AssertionError("test " + repetition + " found the previous test's data");
        }
        client.create("/app", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < 10; i++) {
            client.create("/app/item-", new byte[16], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        }
        if (client.getChildren("/app", false).size() != 10) {
            throw new AssertionError("expected 10 items");
        }
        if (repetition % 10 == 3) {
            ZkNode follower = ensemble.followers().get(0);
            follower.kill();
        }
        if (repetition % 10 == 7) {
            ensemble.network().isolate(ensemble.followers().get(0));
        }
    }

    @ZkCluster
    @Fixture
    public static class SharedSuite {
        @RepeatedTest(TESTS)
        void test(ZooKeeper client, ZkEnsemble ensemble, RepetitionInfo info) throws Exception {
            work(client, ensemble, info.getCurrentRepetition());
        }
    }

    @Fixture
    public static class FreshSuite {
        @ZkCluster
        @RepeatedTest(TESTS)
        void test(ZooKeeper client, ZkEnsemble ensemble, RepetitionInfo info) throws Exception {
            work(client, ensemble, info.getCurrentRepetition());
        }
    }

    @Fixture
    public static class WarmUp {
        @ZkCluster
        @RepeatedTest(3)
        void test(ZooKeeper client, ZkEnsemble ensemble, RepetitionInfo info) throws Exception {
            work(client, ensemble, info.getCurrentRepetition());
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        run(WarmUp.class);
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            EngineExecutionResults shared = run(SharedSuite.class);
            long sharedMs = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            run(FreshSuite.class);
            long freshMs = (System.nanoTime() - start) / 1_000_000;
            List<Long> resets = shared.allEvents().reportingEntryPublished().stream()
                    .map(e -> e.getPayload(ReportEntry.class)
                            .orElseThrow()
                            .getKeyValuePairs()
                            .get("zk-harness.reset.ms"))
                    .filter(v -> v != null)
                    .map(Long::parseLong)
                    .sorted()
                    .toList();
            System.out.printf(
                    Locale.ROOT,
                    "suite50 shared_ms=%d fresh_ms=%d ratio=%.2f%n",
                    sharedMs,
                    freshMs,
                    (double) freshMs / sharedMs);
            System.out.printf(
                    Locale.ROOT,
                    "resets=%d reset_median_ms=%d reset_min_ms=%d reset_max_ms=%d%n",
                    resets.size(),
                    resets.get(resets.size() / 2),
                    resets.get(0),
                    resets.get(resets.size() - 1));
        }
    }

    private static EngineExecutionResults run(Class<?> suite) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(Fixture.ENABLED, "true")
                .selectors(selectClass(suite))
                .execute();
        long failed = results.testEvents().failed().count();
        long succeeded = results.testEvents().succeeded().count();
        if (failed > 0 || results.containerEvents().failed().count() > 0) {
            results.allEvents().failed().stream().forEach(e -> System.err.println(e));
            throw new IllegalStateException(suite.getSimpleName() + ": " + failed + " tests failed");
        }
        if (suite != WarmUp.class && succeeded != TESTS) {
            throw new IllegalStateException(suite.getSimpleName() + ": " + succeeded + " tests passed, not " + TESTS);
        }
        return results;
    }
}
