package io.github.zkharness.junit5;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.curator.ZkCurator;
import java.io.Closeable;

/**
 * Curator, which is an optional dependency: this is the only class of the extension that names it (through
 * {@link ZkCurator}), and it is loaded only when a test asks for a {@code CuratorFramework} parameter, which it
 * can only do with Curator on its class path.
 */
final class CuratorClients {

    static final String TYPE_NAME = "org.apache.curator.framework.CuratorFramework";

    private CuratorClients() {
    }

    /** A started client of every node, connected; typed as what the caller may touch without Curator. */
    static Closeable connect(ZkEnsemble ensemble) {
        return ZkCurator.newClient(ensemble);
    }

    /** A started client of {@code node} alone (Curator's ensemble tracker off), connected. */
    static Closeable connect(ZkNode node) {
        return ZkCurator.newClient(node);
    }
}
