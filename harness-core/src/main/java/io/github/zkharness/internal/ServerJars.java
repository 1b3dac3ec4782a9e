package io.github.zkharness.internal;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Where the jars of a node's class loader come from on the isolated runtime.
 *
 * <ul>
 *   <li>ZooKeeper itself ({@code zookeeper} and {@code zookeeper-jute}): for the class path's version, the jars (or
 *       directories) the application loaded them from; for another version, {@code zookeeper-<v>.jar} and
 *       {@code zookeeper-jute-<v>.jar} from the directory the user named, or else from the local Maven repository
 *       ({@code maven.repo.local} if set, otherwise {@code ~/.m2/repository}).</li>
 *   <li>The third-party jars ZooKeeper needs (Netty and netty-tcnative's classes, metrics-core, snappy-java,
 *       commons-io, audience-annotations): the application's own copies, those its ZooKeeper brought. ZooKeeper 3.8
 *       and 3.9 pin the same versions of them.</li>
 *   <li>The harness's ZooKeeper-side classes: the harness-core jar (or classes directory) itself.</li>
 * </ul>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ServerJars {

    /** One class of each third-party jar ZooKeeper's server needs (Netty's jars are found by their version file). */
    private static final List<String> THIRD_PARTY = List.of(
            "io/netty/internal/tcnative/SSL.class",
            "com/codahale/metrics/Counter.class",
            "org/xerial/snappy/Snappy.class",
            "org/apache/commons/io/FileUtils.class",
            "org/apache/yetus/audience/InterfaceAudience.class");

    private static final String NETTY_MARKER = "META-INF/io.netty.versions.properties";

    private ServerJars() {}

    /**
     * The class path of a loader for {@code version}.
     *
     * @throws IllegalStateException if a jar of that version is missing, naming it and the command that fetches it
     */
    public static URL[] classPath(ServerVersion version) {
        ClassLoader app = ServerJars.class.getClassLoader();
        Set<URL> urls = new LinkedHashSet<>();
        if (version.classpath()) {
            urls.add(rootOf(app, "org/apache/zookeeper/server/quorum/QuorumPeer.class"));
            urls.add(rootOf(app, "org/apache/jute/Record.class"));
        } else {
            urls.add(jar(version, "zookeeper"));
            urls.add(jar(version, "zookeeper-jute"));
        }
        try {
            for (URL marker : Collections.list(app.getResources(NETTY_MARKER))) {
                urls.add(root(marker, NETTY_MARKER));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the Netty jars of the class path: " + e, e);
        }
        for (String resource : THIRD_PARTY) {
            URL found = app.getResource(resource);
            if (found != null) {
                urls.add(root(found, resource));
            }
        }
        // the harness's own code last: should it come in one jar with another ZooKeeper (a shaded test jar), the
        // version asked for is found first
        urls.add(rootOf(app, "io/github/zkharness/internal/server/ServerPeer.class"));
        urls.remove(null);
        return urls.toArray(URL[]::new);
    }

    /** The local Maven repository: {@code maven.repo.local} if set, else {@code ~/.m2/repository}. */
    public static Path mavenRepository() {
        String local = System.getProperty("maven.repo.local");
        return local != null && !local.isBlank()
                ? Paths.get(local)
                : Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Where {@code artifact} (zookeeper or zookeeper-jute) of {@code version} should be. */
    static Path jarPath(ServerVersion version, String artifact) {
        String file = artifact + "-" + version.version() + ".jar";
        return version.directory() != null
                ? version.directory().resolve(file)
                : mavenRepository()
                        .resolve("org/apache/zookeeper")
                        .resolve(artifact)
                        .resolve(version.version())
                        .resolve(file);
    }

    /** The command that puts ZooKeeper {@code version} (with zookeeper-jute) into the local Maven repository. */
    public static String fetchCommand(String version) {
        return "mvn dependency:get -Dartifact=org.apache.zookeeper:zookeeper:" + version;
    }

    private static URL jar(ServerVersion version, String artifact) {
        Path path = jarPath(version, artifact);
        if (!Files.isRegularFile(path)) {
            String where = version.directory() != null
                    ? "the directory " + version.directory()
                    : "the local Maven repository (" + mavenRepository() + ")";
            String fix = version.directory() != null
                    ? "put " + path.getFileName() + " there (" + fetchCommand(version.version())
                            + " fetches it into the local Maven repository)"
                    : "fetch it with: " + fetchCommand(version.version());
            throw new IllegalStateException("ZooKeeper " + version.version() + " is missing: "
                    + "org.apache.zookeeper:" + artifact + ":" + version.version() + " is not in " + where
                    + " (looked for " + path + "); " + fix);
        }
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL rootOf(ClassLoader app, String resource) {
        URL found = app.getResource(resource);
        if (found == null) {
            throw new IllegalStateException("zk-harness cannot find " + resource + " on the class path");
        }
        return root(found, resource);
    }

    /** The jar or directory {@code found} (the URL of {@code resource}) comes from. */
    static URL root(URL found, String resource) {
        try {
            String text = found.toString();
            if (text.startsWith("jar:")) {
                String inner = text.substring(4, text.indexOf("!/"));
                return new URL(inner);
            }
            if (text.endsWith(resource)) {
                return new URL(text.substring(0, text.length() - resource.length()));
            }
            return null;
        } catch (MalformedURLException e) {
            return null;
        }
    }

    /** The jars a user's directory holds, for {@code ZkVersion.fromDirectory}: the zookeeper jar's version. */
    public static String versionInDirectory(Path directory) {
        List<String> found = new ArrayList<>();
        try (var files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("zookeeper-\\d+\\.\\d+\\.\\d+.*\\.jar") && !n.contains("-jute-"))
                    .filter(n ->
                            !n.endsWith("-sources.jar") && !n.endsWith("-tests.jar") && !n.endsWith("-javadoc.jar"))
                    .forEach(n -> found.add(n.substring("zookeeper-".length(), n.length() - ".jar".length())));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the directory " + directory + ": " + e, e);
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException("the directory " + directory + " must hold exactly one"
                    + " zookeeper-<version>.jar (and its zookeeper-jute-<version>.jar), found " + found.size()
                    + (found.isEmpty() ? "" : ": " + found));
        }
        return found.get(0);
    }

    /** For messages: a URL as a path when it is a file. */
    static String describe(URL url) {
        try {
            return Paths.get(url.toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return url.toString();
        }
    }
}
