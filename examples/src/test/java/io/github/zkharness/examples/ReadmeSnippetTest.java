package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every code block in README.md and in each page of docs/guide is backed by something the build runs, and this test
 * fails for a block that is not. The line right before a block's opening fence says what backs it:
 *
 * <ul>
 *   <li>{@code <!-- snippet: FILE REGION -->} (and {@code <!-- end snippet -->} after the closing fence): the block is
 *       the region of FILE (a path from the checkout's root) between the lines {@code // README:REGION} and
 *       {@code // README:end} ({@code # ...} in shell, {@code <!-- ... -->} in XML), with its common indent removed.
 *       Regions may nest; marker lines are left out. The Java regions are in the tests of {@code examples/}, which
 *       every build compiles and runs, so the docs cannot show code that does not compile or no longer passes.
 *   <li>{@code <!-- dependencies -->}: a Maven or Gradle block whose every coordinate is a zk-harness module the BOM
 *       publishes, at this build's version, or ZooKeeper at a version the build runs (the root POM's, or the one
 *       {@code compat-zookeeper-38} reruns the tests on).
 *   <li>{@code <!-- commands -->}: a shell block whose every command runs a program that is an executable file of
 *       the checkout; the README's hold the command {@code .ci/run} runs.
 * </ul>
 */
class ReadmeSnippetTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+) (\\S+) -->");
    private static final String END_SNIPPET = "<!-- end snippet -->";
    private static final String DEPENDENCIES = "<!-- dependencies -->";
    private static final String COMMANDS = "<!-- commands -->";

    /** README.md and every page of the guide. */
    static Stream<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> guide = Files.list(ROOT.resolve("docs/guide"))) {
            guide.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void everyCodeBlockIsBackedByWhatTheBuildRuns(Path document) throws IOException {
        List<String> problems = problems(ROOT.relativize(document).toString(), Files.readString(document));
        assertThat(problems)
                .as("code blocks of %s that nothing backs", document)
                .isEmpty();
    }

    @Test
    void theReadmeAndTheGuideHaveCheckedSnippets() throws IOException {
        assertThat(blocks(Files.readString(ROOT.resolve("README.md"))))
                .as("snippets in README.md")
                .anyMatch(b -> b.marker().startsWith("<!-- snippet:"));
        assertThat(documents().filter(p -> p.getParent().endsWith("guide")))
                .as("pages of docs/guide")
                .hasSizeGreaterThan(10);
    }

    @Test
    void theReadmeShowsExactlyTheCommandCiRuns() throws IOException {
        List<String> ci = Files.readString(ROOT.resolve(".ci/run"))
                .lines()
                .map(String::strip)
                .filter(l -> l.startsWith("./mvnw"))
                .toList();
        assertThat(ci).as(".ci/run's Maven commands").hasSize(1);
        List<String> readmeCommands = new ArrayList<>();
        for (Block b : blocks(Files.readString(ROOT.resolve("README.md")))) {
            if (b.marker().equals(COMMANDS)) {
                readmeCommands.addAll(commands(b.text()));
            }
        }
        assertThat(readmeCommands).as("the README's commands").contains(ci.get(0));
    }

    @Test
    void aBlockThatNothingBacksFailsTheCheck() {
        assertThat(problems("doc.md", "Some text\n\n```java\nint x = 1;\n```\n"))
                .singleElement(STRING)
                .contains("doc.md:3: a code block that nothing backs");
        assertThat(problems(
                        "doc.md",
                        "<!-- snippet: examples/src/test/java/io/github/zkharness/examples/QuickStartExample.java"
                                + " quick-start -->\n```java\nint x = 1;\n```\n<!-- end snippet -->\n"))
                .singleElement(STRING)
                .contains("differs from region quick-start");
        assertThat(problems(
                        "doc.md", DEPENDENCIES + "\n```kotlin\ntestImplementation(\"com.example:other:1.0\")\n```\n"))
                .singleElement(STRING)
                .contains("com.example:other");
        assertThat(problems("doc.md", COMMANDS + "\n```bash\nbin/no-such-tool --help\n```\n"))
                .singleElement(STRING)
                .contains("bin/no-such-tool");
    }

    @Test
    void regionsNestAndLeaveTheirMarkersOut() {
        String source = "a\n    // README:outer\n    x\n    // README:inner\n      y\n    // README:end\n    z\n"
                + "    // README:end\nb\n";
        assertThat(region(source, "outer")).isEqualTo("x\n  y\nz\n");
        assertThat(region(source, "inner")).isEqualTo("y\n");
        assertThat(region("<a>\n  <!-- README:x -->\n  <b/>\n  <!-- README:end -->\n</a>\n", "x"))
                .isEqualTo("<b/>\n");
        assertThat(region(source, "missing")).isNull();
    }

    /** A fenced code block: the line its opening fence is on (1-based), the line before it, and its text. */
    record Block(int line, String marker, String after, String text) {}

    private static List<Block> blocks(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().startsWith("```")) {
                continue;
            }
            int open = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            String marker = open > 0 ? lines.get(open - 1).strip() : "";
            String after = i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
            blocks.add(new Block(open + 1, marker, after, text.toString()));
        }
        return blocks;
    }

    private static List<String> problems(String name, String markdown) {
        List<String> problems = new ArrayList<>();
        for (Block b : blocks(markdown)) {
            String where = name + ":" + b.line() + ": ";
            Matcher snippet = SNIPPET.matcher(b.marker());
            if (snippet.matches()) {
                problems.addAll(snippetProblems(where, snippet.group(1), snippet.group(2), b));
            } else if (b.marker().equals(DEPENDENCIES)) {
                problems.addAll(dependencyProblems(where, b.text()));
            } else if (b.marker().equals(COMMANDS)) {
                problems.addAll(commandProblems(where, b.text()));
            } else {
                problems.add(where + "a code block that nothing backs: put "
                        + SNIPPET.pattern().replace("(\\S+)", "X") + ", " + DEPENDENCIES + " or " + COMMANDS
                        + " on the line before its fence");
            }
        }
        return problems;
    }

    private static List<String> snippetProblems(String where, String file, String name, Block b) {
        Path source = ROOT.resolve(file);
        if (!Files.isRegularFile(source)) {
            return List.of(where + "snippet from " + file + ", which does not exist");
        }
        String region;
        try {
            region = region(read(source), name);
        } catch (IllegalArgumentException e) {
            return List.of(where + "snippet from " + file + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (region == null) {
            problems.add(where + "snippet from " + file + ", which has no region README:" + name);
        } else if (!region.equals(b.text())) {
            problems.add(
                    where + "snippet differs from region " + name + " of " + file + "; the region reads:\n" + region);
        }
        if (!b.after().equals(END_SNIPPET)) {
            problems.add(where + "snippet not followed by " + END_SNIPPET);
        }
        return problems;
    }

    /**
     * The lines between the start marker of region {@code name} and its end marker, marker lines of nested regions
     * left out, with their common indent removed; null when there is no such region.
     *
     * @throws IllegalArgumentException when the region has no end marker
     */
    private static String region(String source, String name) {
        List<String> lines = new ArrayList<>();
        boolean found = false;
        int depth = 0;
        for (String line : source.split("\n", -1)) {
            String marker = marker(line);
            if (!found) {
                found = ("README:" + name).equals(marker);
                depth = found ? 1 : 0;
            } else if ("README:end".equals(marker)) {
                if (--depth == 0) {
                    break;
                }
            } else if (marker != null) {
                depth++;
            } else {
                lines.add(line);
            }
        }
        if (!found) {
            return null;
        }
        if (depth != 0) {
            throw new IllegalArgumentException("region README:" + name + " has no README:end");
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

    /** {@code README:x} for a line that is only the comment {@code // README:x}, {@code # README:x} or its XML form. */
    private static String marker(String line) {
        String s = line.strip();
        if (s.startsWith("<!--") && s.endsWith("-->")) {
            s = s.substring(4, s.length() - 3).strip();
        } else if (s.startsWith("//")) {
            s = s.substring(2).strip();
        } else if (s.startsWith("#")) {
            s = s.substring(1).strip();
        } else {
            return null;
        }
        return s.startsWith("README:") && !s.contains(" ") ? s : null;
    }

    private static final Pattern XML_DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern GRADLE =
            Pattern.compile("\"([\\w.-]+):([\\w.-]+)(?::([\\w.-]+))?\"|strictly\\(\"([^\"]+)\"\\)");

    private static List<String> dependencyProblems(String where, String text) {
        List<String[]> coordinates = new ArrayList<>(); // group, artifact, version or null
        String xml = text.replaceAll("(?s)<!--.*?-->", "");
        Matcher m = XML_DEPENDENCY.matcher(xml);
        while (m.find()) {
            coordinates.add(
                    new String[] {tag(m.group(1), "groupId"), tag(m.group(1), "artifactId"), tag(m.group(1), "version")
                    });
        }
        Matcher g = GRADLE.matcher(text);
        while (g.find()) {
            if (g.group(1) != null) {
                coordinates.add(new String[] {g.group(1), g.group(2), g.group(3)});
            } else if (!coordinates.isEmpty()) {
                coordinates.get(coordinates.size() - 1)[2] = g.group(4);
            }
        }
        if (coordinates.isEmpty()) {
            return List.of(where + "a dependencies block that names no coordinates");
        }
        List<String> problems = new ArrayList<>();
        Set<String> modules = bomModules();
        Set<String> zookeepers = Set.of(
                property(ROOT.resolve("pom.xml"), "zookeeper.version"),
                property(ROOT.resolve("compat-zookeeper-38/pom.xml"), "zookeeper.version"));
        String version = projectVersion();
        for (String[] c : coordinates) {
            String coordinate = c[0] + ":" + c[1] + (c[2] == null ? "" : ":" + c[2]);
            if ("io.github.zkharness".equals(c[0])) {
                if (!modules.contains(c[1]) && !"zk-harness-bom".equals(c[1])) {
                    problems.add(where + coordinate + " is not a module the BOM publishes: " + modules);
                } else if (c[2] != null && !c[2].equals(version)) {
                    problems.add(where + coordinate + " is not this build's version " + version);
                }
            } else if ("org.apache.zookeeper".equals(c[0]) && "zookeeper".equals(c[1])) {
                if (c[2] != null && !zookeepers.contains(c[2])) {
                    problems.add(where + coordinate + " is not a ZooKeeper the build runs: " + zookeepers);
                }
            } else {
                problems.add(where + coordinate + " is neither a zk-harness module nor ZooKeeper");
            }
        }
        return problems;
    }

    private static String tag(String xml, String tag) {
        Matcher m =
                Pattern.compile("<" + tag + ">\\s*([^<]+?)\\s*</" + tag + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    private static Set<String> bomModules() {
        String bom = read(ROOT.resolve("zk-harness-bom/pom.xml"));
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"));
        Set<String> modules = new TreeSet<>();
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(managed);
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    private static String projectVersion() {
        Matcher m = Pattern.compile("<artifactId>zk-harness-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as("the root POM's version").isTrue();
        return m.group(1);
    }

    private static String property(Path pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(read(pom));
        assertThat(m.find()).as("property %s in %s", name, pom).isTrue();
        return m.group(1);
    }

    private static List<String> commandProblems(String where, String text) {
        List<String> problems = new ArrayList<>();
        List<String> commands = commands(text);
        if (commands.isEmpty()) {
            problems.add(where + "a commands block with no command");
        }
        for (String command : commands) {
            String program = command.split("\\s+")[0];
            Path file = ROOT.resolve(program).normalize();
            if (!file.startsWith(ROOT) || !Files.isRegularFile(file) || !Files.isExecutable(file)) {
                problems.add(where + "`" + command + "` runs " + program
                        + ", which is not an executable file of the checkout");
            }
        }
        return problems;
    }

    /** The commands of a shell block: each non-blank line without its trailing comment. */
    private static List<String> commands(String text) {
        return text.lines()
                .map(l -> l.replaceAll("\\s+#.*$", "").strip())
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + file, e);
        }
    }
}
