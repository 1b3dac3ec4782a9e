package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Every attribute of {@code @ZkCluster}, and settings given to the extension builder's {@code configure}, reach the ensemble. */
class AttributesEngineTests {

    static final List<String> CONF = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        CONF.clear();
    }

    static void check(ZkEnsemble ensemble) {
        ZkNode node = ensemble.node(1);
        CONF.add(node.fourLetterWord("conf"));
        CONF.add(node.fourLetterWord("stat"));
        CONF.add(String.valueOf(!node.status().dataLogDir().equals(node.status().dataDir())));
        CONF.add(String.valueOf(ensemble.defaultTimeout()));
        CONF.add(ensemble.voters().size() + "+" + ensemble.observers().size());
        assertThatThrownBy(() -> ensemble.network().isolate(ensemble.node(1)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static void assertTheSettingsArrived() {
        assertThat(CONF.get(0)).contains("tickTime=50\n", "initLimit=7\n", "syncLimit=3\n", "maxClientCnxns=7\n");
        assertThat(CONF.get(1)).contains("is not executed because it is not in the whitelist");
        assertThat(CONF.subList(2, 5)).containsExactly("true", "PT12.345S", "2+1");
    }

    @ZkCluster(
            nodes = 3,
            observers = 1,
            tickTimeMs = 50,
            initLimit = 7,
            syncLimit = 3,
            separateDataLogDir = true,
            serverSettings = "maxClientCnxns=7",
            fourLetterWords = {"conf", "srvr", "mntr", "ruok"},
            startTimeoutMs = 20_000,
            awaitTimeoutMs = 12_345,
            links = false)
    @Fixture
    static class EveryAttribute {
        @Test
        void test(ZkEnsemble ensemble) {
            check(ensemble);
        }
    }

    @Test
    void everyAttributeReachesTheEnsemble() {
        EngineExecutionResults results = EngineRuns.run(EveryAttribute.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertTheSettingsArrived();
    }

    @Fixture
    static class EverySetting {
        @RegisterExtension
        static ZkClusterExtension zk = ZkClusterExtension.builder()
                .configure(b -> b.voters(2).observers(1))
                .configure(b -> b.tickTime(Duration.ofMillis(50))
                        .initLimit(7)
                        .syncLimit(3)
                        .separateDataLogDir(true)
                        .serverSetting("maxClientCnxns", "7")
                        .fourLetterWords("conf", "srvr", "mntr", "ruok")
                        .startTimeout(Duration.ofSeconds(20))
                        .awaitTimeout(Duration.ofMillis(12_345))
                        .links(false))
                .build();

        @Test
        void test(ZkEnsemble ensemble) {
            check(ensemble);
        }
    }

    @Test
    void everyBuilderSettingReachesTheEnsemble() {
        EngineExecutionResults results = EngineRuns.run(EverySetting.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertTheSettingsArrived();
    }
}
