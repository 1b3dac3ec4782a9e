package io.github.zkharness.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the build would publish, checked after every other module packaged (this runs in the verify phase). A
 * module is published unless its POM sets {@code maven.deploy.skip}; each published module must ship its jar with
 * an {@code Automatic-Module-Name}, a sources jar and a Javadoc jar, carry the POM metadata Maven Central asks for,
 * and be listed in the BOM, which lists nothing else.
 */
class ArtifactsTests {

    private static final String GROUP = "io.github.zkharness";
    private static final String URL = "https://github.com/zkharness/zk-harness";

    private static Path root;
    private static String version;
    private static Element parentPom;
    private static final List<Element> publishedPoms = new ArrayList<>();

    @BeforeAll
    static void readTheReactor() throws Exception {
        root = Path.of(System.getProperty("zkharness.rootDir", ".."))
                .toAbsolutePath()
                .normalize();
        version = System.getProperty("zkharness.version");
        assertThat(version).as("zkharness.version, set by the pom").isNotBlank();
        parentPom = pom(root.resolve("pom.xml"));
        for (Element module : children(child(parentPom, "modules"), "module")) {
            Element pom = pom(root.resolve(module.getTextContent().trim()).resolve("pom.xml"));
            String packaging = text(pom, "packaging", "jar");
            Element properties = child(pom, "properties");
            boolean deployed = properties == null || !"true".equals(text(properties, "maven.deploy.skip", "false"));
            if (deployed && packaging.equals("jar")) {
                publishedPoms.add(pom);
            }
        }
    }

    @Test
    void theCoreAndTheJUnitModuleArePublished() {
        assertThat(published()).contains("harness-core", "harness-junit5");
    }

    @Test
    void everyPublishedJarHasAStableModuleNameAndItsVersion() throws IOException {
        for (String artifact : published()) {
            Path jar = artifact(artifact, "");
            try (JarFile file = new JarFile(jar.toFile())) {
                Attributes main = file.getManifest().getMainAttributes();
                assertThat(main.getValue("Automatic-Module-Name"))
                        .as(jar + " Automatic-Module-Name")
                        .isEqualTo(moduleName(artifact));
                assertThat(main.getValue("Implementation-Version"))
                        .as(jar + " Implementation-Version")
                        .isEqualTo(version);
                assertThat(file.getEntry("module-info.class"))
                        .as(jar + " is an automatic module")
                        .isNull();
            }
        }
    }

    @Test
    void everyPublishedJarCarriesTheLicenseAndTheNotice() throws IOException {
        for (String artifact : published()) {
            assertThat(entries(artifact(artifact, "")))
                    .as(artifact + ".jar")
                    .contains("META-INF/LICENSE", "META-INF/NOTICE");
        }
    }

    @Test
    void everyPublishedModuleShipsItsSources() throws IOException {
        for (String artifact : published()) {
            Set<String> classes = entries(artifact(artifact, "")).stream()
                    .filter(e -> e.endsWith(".class") && !e.contains("$") && !e.endsWith("module-info.class"))
                    .map(e -> e.replaceFirst("\\.class$", ".java"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(classes).as(artifact + " classes").isNotEmpty();
            assertThat(entries(artifact(artifact, "-sources")))
                    .as(artifact + "-sources.jar")
                    .containsAll(classes);
        }
    }

    @Test
    void everyPublishedModuleShipsItsJavadocForEveryApiPackage() throws IOException {
        for (String artifact : published()) {
            Path javadoc = artifact(artifact, "-javadoc");
            Set<String> entries = entries(javadoc);
            assertThat(entries).as(javadoc.toString()).contains("index.html", "element-list");
            Set<String> apiPackages = entries(artifact(artifact, "-sources")).stream()
                    .filter(e -> e.endsWith(".java") && !e.endsWith("package-info.java") && e.contains("/"))
                    .map(e -> e.substring(0, e.lastIndexOf('/')).replace('/', '.'))
                    .filter(p -> !p.contains(".internal") && !p.startsWith("org.apache."))
                    .collect(Collectors.toCollection(TreeSet::new));
            try (JarFile file = new JarFile(javadoc.toFile())) {
                String elementList = new String(
                        file.getInputStream(file.getEntry("element-list")).readAllBytes());
                Set<String> lines = Set.of(elementList.trim().split("\\s+"));
                assertThat(lines.stream().filter(l -> !l.startsWith("module:")))
                        .as(javadoc + " element-list")
                        .containsExactlyInAnyOrderElementsOf(apiPackages);
                // javadoc reads the Automatic-Module-Name and documents the packages as that module's
                assertThat(lines.stream().filter(l -> l.startsWith("module:")))
                        .as(javadoc + " element-list")
                        .containsExactly("module:" + moduleName(artifact));
            }
        }
    }

    @Test
    void everyPublishedPomSaysWhatItIsWhereItLivesAndItsLicense() {
        assertThat(text(parentPom, "url", null)).isEqualTo(URL);
        assertThat(parentPom.getAttribute("child.project.url.inherit.append.path"))
                .isEqualTo("false");
        Element license = child(child(parentPom, "licenses"), "license");
        assertThat(text(license, "name", null)).isEqualTo("Apache-2.0");
        assertThat(text(license, "url", null)).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
        Element scm = child(parentPom, "scm");
        assertThat(text(scm, "url", null)).isEqualTo(URL);
        assertThat(text(scm, "connection", null)).isEqualTo("scm:git:" + URL + ".git");
        assertThat(scm.getAttribute("child.scm.url.inherit.append.path")).isEqualTo("false");
        assertThat(children(child(parentPom, "developers"), "developer")).isNotEmpty();
        for (Element pom : publishedPoms) {
            String artifact = text(pom, "artifactId", null);
            assertThat(text(pom, "name", "")).as(artifact + " name").isNotBlank();
            assertThat(text(pom, "description", ""))
                    .as(artifact + " description")
                    .isNotBlank();
            assertThat(text(child(pom, "parent"), "artifactId", null))
                    .as(artifact + " inherits the metadata")
                    .isEqualTo(text(parentPom, "artifactId", null));
        }
    }

    @Test
    void theBomListsEveryPublishedModuleAndNothingElse() throws Exception {
        Element bom = pom(root.resolve("zk-harness-bom").resolve("pom.xml"));
        assertThat(text(bom, "groupId", null)).isEqualTo(GROUP);
        assertThat(text(bom, "artifactId", null)).isEqualTo("zk-harness-bom");
        assertThat(text(bom, "version", null)).as("the BOM's version").isEqualTo(version);
        assertThat(text(bom, "packaging", null)).isEqualTo("pom");
        assertThat(child(bom, "parent"))
                .as("a parent would make importers inherit its dependencyManagement")
                .isNull();
        assertThat(child(bom, "dependencies")).isNull();
        assertThat(text(bom, "url", null)).isEqualTo(URL);
        assertThat(text(child(child(bom, "licenses"), "license"), "name", null)).isEqualTo("Apache-2.0");
        assertThat(text(child(bom, "scm"), "url", null)).isEqualTo(URL);
        assertThat(children(child(bom, "developers"), "developer")).isNotEmpty();
        assertThat(text(bom, "description", "")).isNotBlank();

        Set<String> managed = new TreeSet<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(dependency, "groupId", null)).isEqualTo(GROUP);
            assertThat(text(dependency, "version", null)).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId", null));
        }
        assertThat(managed).as("zk-harness-bom's dependencyManagement").isEqualTo(published());
        assertThat(parentModules()).as("the reactor builds the BOM").contains("zk-harness-bom");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Set<String> published() {
        return publishedPoms.stream()
                .map(p -> text(p, "artifactId", null))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** harness-core: io.github.zkharness.core, harness-junit5: io.github.zkharness.junit5, and so on. */
    private static String moduleName(String artifactId) {
        return "io.github.zkharness." + artifactId.replaceFirst("^harness-", "");
    }

    private static List<String> parentModules() {
        return children(child(parentPom, "modules"), "module").stream()
                .map(m -> m.getTextContent().trim())
                .toList();
    }

    private static Path artifact(String artifactId, String classifier) {
        Path jar = root.resolve(artifactId).resolve("target").resolve(artifactId + "-" + version + classifier + ".jar");
        assertThat(jar)
                .as(
                        "%s: run `./mvnw -B verify` (this check runs in its verify phase, after every module"
                                + " packaged)",
                        jar)
                .isRegularFile();
        return jar;
    }

    private static Set<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream()
                    .filter(e -> !e.isDirectory())
                    .map(ZipEntry::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Element pom(Path file) throws Exception {
        assertThat(file).isRegularFile();
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Files.newInputStream(file))
                .getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name, String otherwise) {
        Element e = child(parent, name);
        return e == null ? otherwise : e.getTextContent().trim();
    }
}
