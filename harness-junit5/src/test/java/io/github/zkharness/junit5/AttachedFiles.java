package io.github.zkharness.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.zkharness.testkit.Fixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a fixture through EngineTestKit with an output directory, so that published files are written (JUnit 5.14+
 * only: this class is loaded only when {@link OutputDirectoryCreator} exists).
 */
final class AttachedFiles {

    private AttachedFiles() {}

    static EngineExecutionResults run(Class<?> fixture) {
        Path root;
        try {
            root = Files.createDirectories(Path.of("target", "engine-test-outputs"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        OutputDirectoryCreator creator = new OutputDirectoryCreator() {
            @Override
            public Path getRootDirectory() {
                return root;
            }

            @Override
            public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
                return Files.createDirectories(
                        root.resolve(descriptor.getUniqueId().toString().replaceAll("[^A-Za-z0-9._-]+", "_")));
            }
        };
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of(Fixture.ENABLED, "true"))
                .outputDirectoryCreator(creator)
                .selectors(selectClass(fixture))
                .execute();
    }
}
