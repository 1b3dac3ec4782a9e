package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * Proves which Curator the module's tests ran on. The build runs the injection tests twice: on the build's Curator
 * (the newest supported) and, with the Curator jars swapped, on the oldest supported (see the pom's
 * {@code curator-oldest} execution, which sets {@code zkharness.expectedCuratorVersion}).
 */
class CuratorVersionTests {

    @Test
    void runsOnTheExpectedCurator() throws IOException {
        String expected = System.getProperty("zkharness.expectedCuratorVersion");
        String framework = version("curator-framework");
        String client = version("curator-client");
        System.out.println(
                "Curator on the test class path: curator-framework " + framework + ", curator-client " + client + " ("
                        + CuratorFramework.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .getPath() + ")");
        assertThat(framework).isNotNull().isEqualTo(client);
        if (expected != null) {
            assertThat(framework).isEqualTo(expected);
        }
    }

    private static String version(String artifactId) throws IOException {
        String resource = "/META-INF/maven/org.apache.curator/" + artifactId + "/pom.properties";
        try (InputStream in = CuratorFramework.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
