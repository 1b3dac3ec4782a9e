package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.testkit.Fixture;
import java.io.File;
import java.lang.reflect.Array;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Curator and logback are optional: the extension works without them. Proved by running a fixture through the
 * JUnit engine in a class loader that has the whole test class path except Curator's and logback's jars.
 */
class OptionalDependenciesTests {

    private static final String NOTE = "zkharness.optional.note";

    @ZkCluster(nodes = 1)
    @Fixture
    static class WithoutCuratorOrLogback {
        @Test
        void injectsAPlainClient(ZooKeeper client) throws Exception {
            assertThat(client.getChildren("/", false)).contains("zookeeper");
            String curator;
            try {
                Class.forName("org.apache.curator.framework.CuratorFramework");
                curator = "present";
            } catch (ClassNotFoundException e) {
                curator = "absent";
            }
            System.setProperty(NOTE, "curator " + curator);
        }

        @Test
        void failsWithDiagnostics() {
            fail("on purpose");
        }
    }

    @Test
    void withoutCuratorAndLogbackTheExtensionInjectsAndDiagnoses() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("/org/apache/curator/") && !entry.contains("/ch/qos/logback/")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertThat(urls).hasSizeLessThan(System.getProperty("java.class.path").split(File.pathSeparator).length);
        System.clearProperty(NOTE);
        System.setProperty("slf4j.internal.verbosity", "ERROR"); // the isolated SLF4J finds no backend: say nothing
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader isolated =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(isolated);
            List<Throwable> failures = runInside(isolated, WithoutCuratorOrLogback.class.getName());

            assertThat(System.getProperty(NOTE)).isEqualTo("curator absent");
            assertThat(failures).hasSize(1);
            Throwable failure = failures.get(0);
            assertThat(failure).hasMessage("on purpose");
            assertThat(failure.getSuppressed()).hasSize(1);
            assertThat(failure.getSuppressed()[0].getClass().getName()).isEqualTo(ZkClusterDiagnostics.class.getName());
            assertThat(failure.getSuppressed()[0].getMessage())
                    .contains("\n  node 1: LEADER, RUNNING, serving, last zxid 0x")
                    .endsWith("\n  log lines: not kept (logback-classic is not on the class path)");
        } finally {
            thread.setContextClassLoader(previous);
            System.clearProperty(NOTE);
            System.clearProperty("slf4j.internal.verbosity");
        }
    }

    /** Runs the fixture with EngineTestKit as loaded by {@code loader}; returns the failures' throwables. */
    private static List<Throwable> runInside(ClassLoader loader, String fixture) throws Exception {
        Class<?> kit = loader.loadClass("org.junit.platform.testkit.engine.EngineTestKit");
        Object builder = kit.getMethod("engine", String.class).invoke(null, "junit-jupiter");
        builder.getClass()
                .getMethod("configurationParameter", String.class, String.class)
                .invoke(builder, Fixture.ENABLED, "true");
        Class<?> selectorType = loader.loadClass("org.junit.platform.engine.DiscoverySelector");
        Object selector = loader.loadClass("org.junit.platform.engine.discovery.DiscoverySelectors")
                .getMethod("selectClass", String.class)
                .invoke(null, fixture);
        Object selectors = Array.newInstance(selectorType, 1);
        Array.set(selectors, 0, selector);
        builder.getClass().getMethod("selectors", selectors.getClass()).invoke(builder, selectors);
        Object results = builder.getClass().getMethod("execute").invoke(builder);

        Object failed = call(call(results, "allEvents"), "failed");
        Class<?> resultType = loader.loadClass("org.junit.platform.engine.TestExecutionResult");
        List<Throwable> throwables = new ArrayList<>();
        try (Stream<?> events = (Stream<?>) call(failed, "stream")) {
            for (Object event : events.toList()) {
                Optional<?> payload = (Optional<?>)
                        event.getClass().getMethod("getPayload", Class.class).invoke(event, resultType);
                Optional<?> throwable = (Optional<?>) call(payload.orElseThrow(), "getThrowable");
                throwables.add((Throwable) throwable.orElseThrow());
            }
        }
        return throwables;
    }

    private static Object call(Object target, String method) throws Exception {
        return Arrays.stream(target.getClass().getMethods())
                .filter(m -> m.getName().equals(method) && m.getParameterCount() == 0)
                .findFirst()
                .orElseThrow()
                .invoke(target);
    }
}
