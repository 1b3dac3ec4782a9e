package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in README.md is marked with the example it comes from; this test fails when they differ,
 * so the README cannot show code that does not compile or no longer passes.
 */
class ReadmeSnippetTest {

    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- snippet: (\\S+) (\\S+) -->\\n```java\\n(.*?)```\\n<!-- end snippet -->", Pattern.DOTALL);

    @Test
    void readmeSnippetsMatchTheirExamples() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = SNIPPET.matcher(readme);
        int found = 0;
        while (m.find()) {
            found++;
            String source = Files.readString(root.resolve(m.group(1)));
            assertThat(m.group(3))
                    .as("README snippet from %s (%s)", m.group(1), m.group(2))
                    .isEqualTo(region(source, m.group(2)));
        }
        assertThat(found).as("snippets in README.md").isPositive();
    }

    /** The lines between {@code // README:<name>} and {@code // README:end}, with their common indent removed. */
    private static String region(String source, String name) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : source.split("\n", -1)) {
            if (line.trim().equals("// README:" + name)) {
                in = true;
            } else if (in && line.trim().equals("// README:end")) {
                break;
            } else if (in) {
                lines.add(line);
            }
        }
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
