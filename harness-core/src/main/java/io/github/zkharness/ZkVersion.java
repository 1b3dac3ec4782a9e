package io.github.zkharness;

import io.github.zkharness.internal.ServerJars;
import io.github.zkharness.internal.ServerVersion;
import io.github.zkharness.internal.ZooKeeperVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A ZooKeeper version a node runs: {@link #classPath()} (the application's ZooKeeper, the default), a release from
 * the local Maven repository ({@link #of(String)}), or the jars in a directory ({@link #fromDirectory(Path)}). Chosen
 * per ensemble or per node with {@link ZkEnsemble.Builder#version(ZkVersion)} and
 * {@link ZkEnsemble.Builder#version(int, ZkVersion)}, changed on a running node with {@link ZkNode#upgrade(ZkVersion)}.
 *
 * <p>A node on a version other than the class path's runs on the {@link ZkRuntime#ISOLATED isolated runtime}: its
 * class loader holds {@code zookeeper-<version>.jar} and {@code zookeeper-jute-<version>.jar}, and the application's
 * own copies of the third-party jars ZooKeeper needs (Netty, metrics-core, snappy-java, commons-io; ZooKeeper 3.8
 * and 3.9 pin the same versions). Supported: ZooKeeper 3.8.x and 3.9.x.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ZkVersion {

    private static final Pattern RELEASE = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    private final ServerVersion version;

    private ZkVersion(ServerVersion version) {
        this.version = version;
    }

    /** The ZooKeeper on the application's class path. */
    public static ZkVersion classPath() {
        return new ZkVersion(ServerVersion.onClassPath());
    }

    /**
     * ZooKeeper {@code release} (e.g. {@code "3.8.6"}) from the local Maven repository ({@code maven.repo.local} if
     * set, else {@code ~/.m2/repository}). When the class path's ZooKeeper is that release, it is the same as
     * {@link #classPath()}. Whether its jars are there is checked when an ensemble is built or a node upgraded.
     *
     * @throws NullPointerException if {@code release} is null
     * @throws IllegalArgumentException if it is not a release number, or not of a supported line (3.8.x, 3.9.x)
     */
    public static ZkVersion of(String release) {
        Objects.requireNonNull(release, "release must not be null");
        requireSupported(release);
        ServerVersion onClassPath = ServerVersion.onClassPath();
        return release.equals(onClassPath.version())
                ? new ZkVersion(onClassPath)
                : new ZkVersion(new ServerVersion(release, null, false));
    }

    /**
     * The ZooKeeper whose {@code zookeeper-<version>.jar} and {@code zookeeper-jute-<version>.jar} are in
     * {@code directory}; the version is read from the jar's name.
     *
     * @throws NullPointerException if {@code directory} is null
     * @throws IllegalArgumentException if it is not a directory, holds no or several {@code zookeeper-<version>.jar},
     *     or that version is not supported
     */
    public static ZkVersion fromDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory must not be null");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    "ZkVersion.fromDirectory needs a directory holding zookeeper-<version>.jar"
                            + " and zookeeper-jute-<version>.jar, got " + directory + " (not a directory)");
        }
        String release = ServerJars.versionInDirectory(directory);
        requireSupported(release);
        return new ZkVersion(new ServerVersion(release, directory.toAbsolutePath(), false));
    }

    private static void requireSupported(String release) {
        if (!RELEASE.matcher(release).matches()) {
            throw new IllegalArgumentException(
                    "a ZooKeeper version is a release number such as 3.8.6 or 3.9.5, got \"" + release + "\"");
        }
        String line = release.substring(0, release.lastIndexOf('.'));
        if (!ZooKeeperVersion.SUPPORTED_LINES.contains(line)) {
            throw new IllegalArgumentException("ZooKeeper " + release + " is not supported: zk-harness runs ZooKeeper "
                    + ZooKeeperVersion.SUPPORTED_RANGE + " (for example 3.8.6 or 3.9.5)");
        }
    }

    /** The release, e.g. {@code 3.9.5}. */
    public String version() {
        return version.version();
    }

    /** Whether this is the ZooKeeper on the application's class path. */
    public boolean isClassPath() {
        return version.classpath();
    }

    ServerVersion internal() {
        return version;
    }

    /** Same release from the same place. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ZkVersion other && version.equals(other.version);
    }

    @Override
    public int hashCode() {
        return version.hashCode();
    }

    /** The release, then where it comes from: {@code 3.8.6 (local Maven repository)}. */
    @Override
    public String toString() {
        String from = version.classpath()
                ? "class path"
                : version.directory() != null ? version.directory().toString() : "local Maven repository";
        return version.version() + " (" + from + ")";
    }
}
