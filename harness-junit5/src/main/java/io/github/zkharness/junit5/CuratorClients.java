package io.github.zkharness.junit5;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.curator.ZkCurator;
import java.io.Closeable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooKeeper;

/**
 * Curator, which is an optional dependency: this is the only class of the extension that names it, and it is
 * loaded only when a test asks for a {@code CuratorFramework} parameter, which it can only do with Curator on its
 * class path.
 */
final class CuratorClients {

    static final String TYPE_NAME = "org.apache.curator.framework.CuratorFramework";

    private CuratorClients() {}

    /** A started client of every node, connected; typed as what the caller may touch without Curator. */
    static Closeable connect(ZkEnsemble ensemble) {
        return ZkCurator.newClient(ensemble);
    }

    /** A started client of {@code node} alone (Curator's ensemble tracker off), connected. */
    static Closeable connect(ZkNode node) {
        return ZkCurator.newClient(node);
    }

    /**
     * Closes a client made by {@link #connect} and returns once its ZooKeeper session is closed: Curator's
     * {@code close()} ends in ZooKeeper's, whose NIO client then sleeps 100 ms tearing its socket down; that part
     * finishes in the background (see {@link ZooKeeperClients#closeInBackground}). Nothing JVM-wide is changed.
     */
    static AutoCloseable closer(Closeable client) {
        CuratorFramework curator = (CuratorFramework) client;
        return () -> {
            ZooKeeper zooKeeper;
            try {
                zooKeeper = curator.getZookeeperClient().getZooKeeper();
            } catch (Exception e) {
                zooKeeper = null; // closed already, or never connected: close() below is all there is
            }
            ZooKeeper session = zooKeeper;
            ZooKeeperClients.closeInBackground(
                    curator::close, () -> session != null && session.getState() == ZooKeeper.States.CLOSED);
        };
    }
}
