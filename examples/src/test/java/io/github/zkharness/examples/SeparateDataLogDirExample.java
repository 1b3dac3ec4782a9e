package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * With a separate {@code dataLogDir}, as production guides advise (a dedicated disk for the log that every write
 * waits on), each server writes its transaction log ({@code version-2/log.<zxid>}) there, while its
 * {@code dataDir} keeps {@code myid}, the epochs and the snapshots ({@code version-2/snapshot.<zxid>}).
 */
@ZkCluster(nodes = 3, separateDataLogDir = true)
class SeparateDataLogDirExample {

    @Test
    void transactionLogsAndSnapshotsLandApart(ZkEnsemble zk, CuratorFramework client) throws Exception {
        client.create().forPath("/orders"); // a transaction: every server logs it

        for (ZkNode node : zk.nodes()) {
            assertThat(node.status().dataLogDir()).isNotEqualTo(node.status().dataDir());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(files(node.status().dataLogDir()))
                            .isNotEmpty()
                            .allMatch(name -> name.startsWith("log.")));
            assertThat(files(node.status().dataDir()))
                    .contains("myid", "currentEpoch", "acceptedEpoch")
                    .anyMatch(name -> name.startsWith("snapshot."))
                    .noneMatch(name -> name.startsWith("log."));
        }
    }

    /** The names of the files under {@code dir}, at any depth. */
    private static List<String> files(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
