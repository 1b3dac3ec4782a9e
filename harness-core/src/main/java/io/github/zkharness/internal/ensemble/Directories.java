package io.github.zkharness.internal.ensemble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ensemble's directory and every member's data and log directories in it: created at start, deleted at close. */
final class Directories {

    private static final Logger LOG = LoggerFactory.getLogger(Directories.class);

    private final Cluster cluster;

    Directories(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Creates {@code zk-harness-<n>-<pid>-<random>} and a directory per member with its {@code myid}. */
    void create() throws IOException {
        // ensemble numbers restart in every JVM, the pid tells whose it is
        String prefix = cluster.name() + "-" + ProcessHandle.current().pid() + "-";
        Path parent = cluster.config.baseDirectory();
        if (parent == null) {
            cluster.baseDir = Files.createTempDirectory(prefix); // rwx------ on POSIX
        } else {
            Files.createDirectories(parent);
            cluster.baseDir = Files.createTempDirectory(parent, prefix);
        }
        for (NodeRuntime node : cluster.members()) {
            place(node);
            node.createDirectories();
        }
    }

    /** Gives a member its directories under the ensemble's directory (not created yet). */
    void place(NodeRuntime node) {
        node.placeIn(cluster.baseDir.resolve("node-" + node.id()), cluster.config.separateDataLogDir());
    }

    /** Deletes the directories of a member that left the ensemble. */
    void deleteMember(NodeRuntime node) {
        try {
            FileUtils.deleteDirectory(node.dataDir().getParent().toFile());
        } catch (IOException e) {
            LOG.warn("{}: could not delete the directories of removed node {}", cluster.name(), node.id(), e);
        }
    }

    /** Deletes the ensemble's directory and everything in it. */
    void deleteAll() {
        Path base = cluster.baseDir;
        if (base != null) {
            try {
                FileUtils.deleteDirectory(base.toFile());
            } catch (IOException e) {
                LOG.warn("{}: could not delete {}", cluster.name(), base, e);
            }
        }
    }
}
