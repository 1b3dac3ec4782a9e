package io.github.zkharness.bench.junit;

import io.github.zkharness.junit5.ZkCluster;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** zk-harness's side of suite50_junit: one ensemble for the class, reset before each test, both clients injected. */
@ZkCluster(nodes = 3)
public class HarnessSuite {

    @ParameterizedTest
    @MethodSource("io.github.zkharness.bench.junit.SuiteJUnit#tests")
    void test(int test, ZooKeeper zooKeeper, CuratorFramework curator) throws Exception {
        SuiteJUnit.work(zooKeeper, curator, test);
    }
}
