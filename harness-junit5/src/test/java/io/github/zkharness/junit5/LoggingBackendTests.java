package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a user sees with their SLF4J backend: zk-harness and ZooKeeper log through SLF4J only, so their lines go
 * wherever the user's backend sends them, and a failed test's diagnostics carry each node's last log lines with
 * logback-classic and say why not otherwise. The build runs this on logback (the module's own test backend) and, in
 * the pom's {@code log4j2} execution, on Log4j 2 with logback off the class path; that execution sets
 * {@code zkharness.expectedSlf4jBackend}. (Without any backend: OptionalDependenciesTests.)
 */
class LoggingBackendTests {

    @ZkCluster(nodes = 1)
    @Fixture
    static class FailsAfterAWrite {
        @Test
        void fails(ZooKeeper client) throws Exception {
            client.getChildren("/", false);
            fail("on purpose");
        }
    }

    @Test
    void theBackendGetsTheLinesAndTheDiagnosticsSayWhatTheyKept() throws IOException {
        String backend = LoggerFactory.getILoggerFactory().getClass().getName();
        System.out.println("SLF4J backend: " + backend);
        String expected = System.getProperty("zkharness.expectedSlf4jBackend", "ch.qos.logback.classic.LoggerContext");
        assertThat(backend).isEqualTo(expected);

        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(FailsAfterAWrite.class));
        assertThat(failure).hasMessage("on purpose");
        String diagnostics = failure.getSuppressed()[0].getMessage();
        if (backend.startsWith("ch.qos.logback.")) {
            assertThat(diagnostics).containsPattern("\n  last [1-9][0-9]* log lines of node 1:\n    ");
        } else {
            assertThat(diagnostics).endsWith("\n  log lines: not kept (logback-classic is not on the class path)");
            // ZooKeeper's own lines went to the user's Log4j 2 configuration (src/test/resources/log4j2-test.xml)
            Path log = Path.of("target", "zookeeper-tests-log4j2.log");
            assertThat(Files.readString(log, StandardCharsets.UTF_8))
                    .contains("QuorumPeer")
                    .contains("LEADING");
        }
    }
}
