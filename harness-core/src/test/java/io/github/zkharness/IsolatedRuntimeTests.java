package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** The isolated runtime: each node's ZooKeeper in a class loader of its own, behind the same API. */
class IsolatedRuntimeTests {

    @Test
    void eachNodeRunsInALoaderOfItsOwnAndKeepsItsDataAcrossARestart() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).runtime(ZkRuntime.ISOLATED).start()) {
            ClassLoader first = loaderOf(zk.node(1));
            assertNotEquals(first, loaderOf(zk.node(2)));
            assertNotEquals(ZkEnsemble.class.getClassLoader(), first);
            try (ZooKeeper client = Clients.connect(zk.connectString())) {
                Clients.create(client, "/kept", "x");
            }
            ZkNode leader = zk.leader();
            ClassLoader before = loaderOf(leader);
            leader.kill().restart().awaitServing();
            assertNotEquals(before, loaderOf(leader), "a restart loads ZooKeeper afresh");
            zk.awaitServing();
            try (ZooKeeper client = Clients.connect(leader.connectString())) {
                assertEquals("x", new String(client.getData("/kept", false, null)));
            }
            assertEquals(ZkVersion.classPath().version(), leader.status().version());
            assertTrue(leader.status().toString().contains("ZooKeeper " + ZkVersion.classPath().version()));
        }
    }

    /** The class loader of the node's current run, read through the harness's own parts. */
    static ClassLoader loaderOf(ZkNode node) {
        return node.runtime().process().bridge().getClass().getClassLoader();
    }
}
