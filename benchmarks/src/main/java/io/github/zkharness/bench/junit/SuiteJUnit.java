package io.github.zkharness.bench.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The suite50_junit scenario: a test class run through the real JUnit engine (the platform launcher), {@link #tests}
 * tests, each with a ZooKeeper and a CuratorFramework client of a clean 3-node ensemble: zk-harness's
 * ({@link HarnessSuite}: {@code @ZkCluster}, both clients injected) or a fresh TestingCluster per test
 * ({@link CuratorSuite}: started in {@code @BeforeEach}, closed in {@code @AfterEach}, the test opening and closing
 * the same two clients itself).
 */
public final class SuiteJUnit {

    private static volatile int tests = 50;

    private SuiteJUnit() {}

    /** The test indexes, for {@code @MethodSource}. */
    public static IntStream tests() {
        return IntStream.range(0, tests);
    }

    /**
     * Runs {@code testClass} with {@code count} tests through the JUnit engine.
     *
     * @return how many tests failed (their errors go to standard error)
     */
    public static long run(Class<?> testClass, int count) {
        tests = count;
        return runAll(List.of(testClass), count);
    }

    /**
     * Runs every class of {@code testClasses} in one engine run.
     *
     * @return how many tests failed (their errors go to standard error)
     */
    public static long runAll(List<Class<?>> testClasses, int expectedTests) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(testClasses.stream().map(c -> selectClass(c)).toList())
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.getFailures().forEach(f -> {
            System.err.println("suite_classes: " + f.getTestIdentifier().getDisplayName() + " failed:");
            f.getException().printStackTrace();
        });
        if (summary.getTestsSucceededCount() + summary.getTotalFailureCount() != expectedTests) {
            throw new IllegalStateException("ran " + summary.getTestsStartedCount() + " of " + expectedTests
                    + " tests (" + summary.getContainersFailedCount() + " containers failed)");
        }
        return summary.getTotalFailureCount();
    }

    /**
     * One test's work, the same on both sides: 3 znodes written and read back, /a and /b with the ZooKeeper client,
     * /c with Curator (each client reads its own writes: two clients may sit on different servers, and ZooKeeper's
     * reads are only sequentially consistent per client). A znode left by an earlier test fails it: the ensemble must
     * be clean.
     */
    static void work(ZooKeeper zooKeeper, CuratorFramework curator, int test) throws Exception {
        for (String name : List.of("a", "b")) {
            zooKeeper.create("/" + name, value(test, name), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        curator.create().forPath("/c", value(test, "c"));
        for (String name : List.of("a", "b", "c")) {
            byte[] read =
                    name.equals("c") ? curator.getData().forPath("/c") : zooKeeper.getData("/" + name, false, null);
            if (!Arrays.equals(read, value(test, name))) {
                throw new AssertionError(
                        "test " + test + " read back " + new String(read, StandardCharsets.UTF_8) + " from /" + name);
            }
        }
    }

    private static byte[] value(int test, String name) {
        return ("test-" + test + "-" + name).getBytes(StandardCharsets.UTF_8);
    }
}
