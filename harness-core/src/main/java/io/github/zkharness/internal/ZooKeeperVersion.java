package io.github.zkharness.internal;

import java.security.CodeSource;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.Version;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ZooKeeper is on the class path, and whether zk-harness may run on it. zk-harness builds its peers from
 * ZooKeeper internals (protected hooks, package-private constructors, statics) that were read in the 3.8 and 3.9
 * lines only; on another line it would fail later, deep in a peer thread, with a {@code NoSuchMethodError} or
 * worse. {@link #requireSupported()} fails first, with a message that says what to do.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ZooKeeperVersion {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperVersion.class);

    /** The release lines whose internals zk-harness was checked against. */
    public static final List<String> SUPPORTED_LINES = List.of("3.8", "3.9");

    /** The supported range, as the error message and the README say it. */
    public static final String SUPPORTED_RANGE = "3.8.x and 3.9.x";

    /** The ZooKeeper release zk-harness is built and tested with; the one the error message suggests. */
    public static final String BUILT_AGAINST = "3.9.5";

    /** Set to {@code true} to run on an unsupported ZooKeeper anyway (a warning is logged instead). */
    public static final String ALLOW_UNSUPPORTED_PROPERTY = "zkharness.allowUnsupportedZooKeeper";

    private static final Pattern LEADING_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private ZooKeeperVersion() {}

    /**
     * Fails unless the ZooKeeper on the class path belongs to a supported line ({@value #SUPPORTED_RANGE}).
     * With {@code -D}{@value #ALLOW_UNSUPPORTED_PROPERTY}{@code =true} it logs a warning instead.
     *
     * @throws IllegalStateException naming the version found, where it was loaded from, the supported range
     *                               and how to pin a supported version with Maven and Gradle
     */
    public static void requireSupported() {
        String found = found();
        String problem = problem(found, location());
        if (problem == null) {
            return;
        }
        if (Boolean.getBoolean(ALLOW_UNSUPPORTED_PROPERTY)) {
            LOG.warn("{} Running anyway because {}=true.", firstSentence(problem), ALLOW_UNSUPPORTED_PROPERTY);
            return;
        }
        throw new IllegalStateException(problem);
    }

    /**
     * The version ZooKeeper reports for itself, e.g. {@code 3.9.5} (a qualifier such as {@code -SNAPSHOT} kept),
     * or {@code unknown} if it cannot say.
     */
    public static String found() {
        try {
            String full = Version.getFullVersion();
            if (full == null || full.isBlank()) {
                return "unknown";
            }
            // "3.9.5-293c895a..., built on 2025-..." or "3.9.5-SNAPSHOT-<hash>, built on ..."
            String version = full.split(",", 2)[0].trim();
            String hash = Version.getRevisionHash();
            if (hash != null && !hash.isBlank() && version.endsWith("-" + hash)) {
                version = version.substring(0, version.length() - hash.length() - 1);
            }
            return version;
        } catch (LinkageError e) {
            return "unknown (" + e + ")";
        }
    }

    /** Whether {@code version} (as {@link #found()} reports it) belongs to a supported line. */
    static boolean isSupported(String version) {
        Matcher m = LEADING_VERSION.matcher(version == null ? "" : version.trim());
        return m.find() && SUPPORTED_LINES.contains(m.group(1) + "." + m.group(2));
    }

    /**
     * What is wrong with running on ZooKeeper {@code version} loaded from {@code location}, or null if nothing.
     */
    static String problem(String version, String location) {
        if (isSupported(version)) {
            return null;
        }
        String pin = BUILT_AGAINST;
        return "zk-harness supports ZooKeeper " + SUPPORTED_RANGE + ", but found ZooKeeper " + version
                + " on the class path (" + location + "). zk-harness builds its peers on ZooKeeper internals that were"
                + " checked in those lines only, so it stops here rather than fail later inside a peer."
                + " Pin a supported ZooKeeper in the build that runs your tests, for example"
                + " Maven: <dependencyManagement><dependencies><dependency><groupId>org.apache.zookeeper</groupId>"
                + "<artifactId>zookeeper</artifactId><version>" + pin + "</version></dependency></dependencies>"
                + "</dependencyManagement>;"
                + " Gradle (Kotlin DSL): testImplementation(\"org.apache.zookeeper:zookeeper\") { version { strictly(\""
                + pin + "\") } }."
                + " See \"Supported versions\" in zk-harness's README. To try this ZooKeeper anyway, at your own risk,"
                + " set -D" + ALLOW_UNSUPPORTED_PROPERTY + "=true.";
    }

    private static String location() {
        try {
            CodeSource source = Version.class.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null
                    ? "location unknown"
                    : source.getLocation().toString();
        } catch (SecurityException | LinkageError e) {
            return "location unknown";
        }
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }
}
