package io.github.zkharness.internal;

import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A ZooKeeper version a node runs, as the harness resolves it ({@code ZkVersion} is the public face): the one on
 * the class path, a release from the local Maven repository, or the jars in a directory the user named.
 *
 * @param version   the release, e.g. {@code 3.8.6}
 * @param directory where its {@code zookeeper-<version>.jar} and {@code zookeeper-jute-<version>.jar} are, or null
 *                  for the local Maven repository
 * @param classpath whether it is the ZooKeeper on the application's class path (then {@code directory} is null)
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record ServerVersion(String version, Path directory, boolean classpath) {

    /** Checks the parts. */
    public ServerVersion {
        Objects.requireNonNull(version, "version must not be null");
    }

    /** The ZooKeeper on the class path. */
    public static ServerVersion onClassPath() {
        return new ServerVersion(ZooKeeperVersion.found(), null, true);
    }

    @Override
    public String toString() {
        return version;
    }
}
