package io.github.zkharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import java.lang.management.ManagementFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.zookeeper.jmx.MBeanRegistry;
import org.junit.jupiter.api.Test;

/** What {@link JvmGlobals} promises about JMX: ZooKeeper's beans are never registered, also on a first start. */
class JvmGlobalsTests {

    @Test
    void onceInstalledZooKeepersRegistryIsTheOneThatRegistersNothing() {
        JvmGlobals.install();
        JvmGlobals.awaitInstalled();
        assertThat(MBeanRegistry.getInstance().getClass()).isNotEqualTo(MBeanRegistry.class);
    }

    @Test
    void aRunningEnsembleRegistersNoZooKeeperBeansInThePlatformServer() throws MalformedObjectNameException {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start()) {
            assertThat(zk.nodes()).hasSize(4);
            assertThat(ManagementFactory.getPlatformMBeanServer()
                            .queryNames(new ObjectName(MBeanRegistry.DOMAIN + ":*"), null))
                    .isEmpty();
        }
    }
}
