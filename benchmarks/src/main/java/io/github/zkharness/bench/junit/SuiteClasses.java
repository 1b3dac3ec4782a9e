package io.github.zkharness.bench.junit;

import io.github.zkharness.junit5.ZkCluster;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The suite_classes20 scenario: 20 test classes of 5 tests each through the real JUnit engine, each test writing
 * and reading back through an injected client of a clean 3-node ensemble; either every class declares the same
 * {@code @ZkCluster(shared = "bench")} (one ensemble for the run, reset between tests) or each has its own.
 */
public final class SuiteClasses {

    /** How many classes each side runs. */
    public static final int CLASSES = 20;

    private SuiteClasses() {}

    /** The 5 test indexes of every class. */
    public static IntStream tests() {
        return IntStream.range(0, 5);
    }

    /** The classes of one side, to run through the engine. */
    public static List<Class<?>> classes(boolean shared) {
        return shared ? List.of(SHARED) : List.of(OWN);
    }

    static void work(ZooKeeper client, int test) throws Exception {
        byte[] value = ("test-" + test).getBytes(StandardCharsets.UTF_8);
        client.create("/suite", value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        if (!new String(client.getData("/suite", false, null), StandardCharsets.UTF_8).equals("test-" + test)) {
            throw new AssertionError("test " + test + " read back another value");
        }
    }

    /** Every class on one ensemble shared by name. */
    @ZkCluster(nodes = 3, shared = "bench")
    public abstract static class Shared {
        @ParameterizedTest
        @MethodSource("io.github.zkharness.bench.junit.SuiteClasses#tests")
        void test(int test, ZooKeeper client) throws Exception {
            work(client, test);
        }
    }

    /** Every class on an ensemble of its own. */
    @ZkCluster(nodes = 3)
    public abstract static class Own {
        @ParameterizedTest
        @MethodSource("io.github.zkharness.bench.junit.SuiteClasses#tests")
        void test(int test, ZooKeeper client) throws Exception {
            work(client, test);
        }
    }

    /** Class 1 of 20 with shared ensembles. */
    public static final class Shared01 extends Shared {}

    /** Class 2 of 20 with shared ensembles. */
    public static final class Shared02 extends Shared {}

    /** Class 3 of 20 with shared ensembles. */
    public static final class Shared03 extends Shared {}

    /** Class 4 of 20 with shared ensembles. */
    public static final class Shared04 extends Shared {}

    /** Class 5 of 20 with shared ensembles. */
    public static final class Shared05 extends Shared {}

    /** Class 6 of 20 with shared ensembles. */
    public static final class Shared06 extends Shared {}

    /** Class 7 of 20 with shared ensembles. */
    public static final class Shared07 extends Shared {}

    /** Class 8 of 20 with shared ensembles. */
    public static final class Shared08 extends Shared {}

    /** Class 9 of 20 with shared ensembles. */
    public static final class Shared09 extends Shared {}

    /** Class 10 of 20 with shared ensembles. */
    public static final class Shared10 extends Shared {}

    /** Class 11 of 20 with shared ensembles. */
    public static final class Shared11 extends Shared {}

    /** Class 12 of 20 with shared ensembles. */
    public static final class Shared12 extends Shared {}

    /** Class 13 of 20 with shared ensembles. */
    public static final class Shared13 extends Shared {}

    /** Class 14 of 20 with shared ensembles. */
    public static final class Shared14 extends Shared {}

    /** Class 15 of 20 with shared ensembles. */
    public static final class Shared15 extends Shared {}

    /** Class 16 of 20 with shared ensembles. */
    public static final class Shared16 extends Shared {}

    /** Class 17 of 20 with shared ensembles. */
    public static final class Shared17 extends Shared {}

    /** Class 18 of 20 with shared ensembles. */
    public static final class Shared18 extends Shared {}

    /** Class 19 of 20 with shared ensembles. */
    public static final class Shared19 extends Shared {}

    /** Class 20 of 20 with shared ensembles. */
    public static final class Shared20 extends Shared {}

    /** Class 1 of 20 with own ensembles. */
    public static final class Own01 extends Own {}

    /** Class 2 of 20 with own ensembles. */
    public static final class Own02 extends Own {}

    /** Class 3 of 20 with own ensembles. */
    public static final class Own03 extends Own {}

    /** Class 4 of 20 with own ensembles. */
    public static final class Own04 extends Own {}

    /** Class 5 of 20 with own ensembles. */
    public static final class Own05 extends Own {}

    /** Class 6 of 20 with own ensembles. */
    public static final class Own06 extends Own {}

    /** Class 7 of 20 with own ensembles. */
    public static final class Own07 extends Own {}

    /** Class 8 of 20 with own ensembles. */
    public static final class Own08 extends Own {}

    /** Class 9 of 20 with own ensembles. */
    public static final class Own09 extends Own {}

    /** Class 10 of 20 with own ensembles. */
    public static final class Own10 extends Own {}

    /** Class 11 of 20 with own ensembles. */
    public static final class Own11 extends Own {}

    /** Class 12 of 20 with own ensembles. */
    public static final class Own12 extends Own {}

    /** Class 13 of 20 with own ensembles. */
    public static final class Own13 extends Own {}

    /** Class 14 of 20 with own ensembles. */
    public static final class Own14 extends Own {}

    /** Class 15 of 20 with own ensembles. */
    public static final class Own15 extends Own {}

    /** Class 16 of 20 with own ensembles. */
    public static final class Own16 extends Own {}

    /** Class 17 of 20 with own ensembles. */
    public static final class Own17 extends Own {}

    /** Class 18 of 20 with own ensembles. */
    public static final class Own18 extends Own {}

    /** Class 19 of 20 with own ensembles. */
    public static final class Own19 extends Own {}

    /** Class 20 of 20 with own ensembles. */
    public static final class Own20 extends Own {}

    private static final Class<?>[] SHARED = {
        Shared01.class,
        Shared02.class,
        Shared03.class,
        Shared04.class,
        Shared05.class,
        Shared06.class,
        Shared07.class,
        Shared08.class,
        Shared09.class,
        Shared10.class,
        Shared11.class,
        Shared12.class,
        Shared13.class,
        Shared14.class,
        Shared15.class,
        Shared16.class,
        Shared17.class,
        Shared18.class,
        Shared19.class,
        Shared20.class
    };

    private static final Class<?>[] OWN = {
        Own01.class,
        Own02.class,
        Own03.class,
        Own04.class,
        Own05.class,
        Own06.class,
        Own07.class,
        Own08.class,
        Own09.class,
        Own10.class,
        Own11.class,
        Own12.class,
        Own13.class,
        Own14.class,
        Own15.class,
        Own16.class,
        Own17.class,
        Own18.class,
        Own19.class,
        Own20.class
    };
}
