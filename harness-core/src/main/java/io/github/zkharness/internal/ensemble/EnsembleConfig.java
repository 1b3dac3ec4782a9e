package io.github.zkharness.internal.ensemble;

import io.github.zkharness.ZkRuntime;
import io.github.zkharness.internal.Ports;
import io.github.zkharness.internal.ServerCode;
import io.github.zkharness.internal.ServerSettings;
import io.github.zkharness.internal.ServerVersion;
import io.github.zkharness.internal.security.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Everything {@code ZkEnsemble.Builder} decided, frozen ({@link EnsembleSettings#toConfig()}): the settings are
 * checked before, this record only carries them to the parts that need them.
 *
 * @param baseDirectory where to create the ensemble's directory, or null for {@code java.io.tmpdir}
 * @param nodeSettings  per server id, settings that override {@code serverSettings}
 * @param readOnlyMode  whether servers cut off from a quorum serve reads (the builder's or ZooKeeper's own switch);
 *                      every server then gets local sessions and their upgrade
 * @param firstId       the first server id; the builder's servers take the ids from it on
 * @param preferredLeader the voter the builder's leader placement chose, or {@code PeerWiring.NO_PREFERRED_LEADER}
 * @param leaderPlacement the placement in words, e.g. {@code random(seed 7): node 2}
 * @param runtime       where the nodes' ZooKeeper classes load
 * @param version       the ZooKeeper version of every node without one of its own
 * @param nodeVersions  per server id, the ZooKeeper version it starts with
 * @param tls           what the builder asked for about TLS, or null for a plain ensemble
 * @param saslUsers     SASL (DIGEST-MD5) users and their passwords; empty: the client ports have no SASL
 * @param quorumSasl    whether the peers authenticate each other over SASL (DIGEST-MD5)
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record EnsembleConfig(
        int voters,
        int observers,
        Duration tickTime,
        int initLimit,
        int syncLimit,
        Duration minSessionTimeout,
        Duration maxSessionTimeout,
        Path baseDirectory,
        boolean separateDataLogDir,
        Duration startTimeout,
        Duration awaitTimeout,
        Map<String, String> serverSettings,
        Map<Integer, Map<String, String>> nodeSettings,
        Set<String> fourLetterWords,
        boolean links,
        Ports ports,
        boolean failOnThreadDeath,
        boolean readOnlyMode,
        int firstId,
        long preferredLeader,
        String leaderPlacement,
        ZkRuntime runtime,
        ServerVersion version,
        Map<Integer, ServerVersion> nodeVersions,
        TlsSettings tls,
        Map<String, String> saslUsers,
        boolean quorumSasl) {

    /** Copies the maps so that later builder calls cannot reach a built ensemble. */
    public EnsembleConfig {
        serverSettings = Map.copyOf(serverSettings);
        saslUsers = Collections.unmodifiableMap(new LinkedHashMap<>(saslUsers));
        Map<Integer, Map<String, String>> perNode = new HashMap<>();
        nodeSettings.forEach((id, settings) -> perNode.put(id, Map.copyOf(settings)));
        nodeSettings = Map.copyOf(perNode);
        fourLetterWords = Collections.unmodifiableSet(new LinkedHashSet<>(fourLetterWords));
        nodeVersions = Map.copyOf(nodeVersions);
    }

    /** The code server {@code id} starts with: its version, on this ensemble's runtime. */
    public ServerCode codeFor(int id) {
        return ServerCode.of(nodeVersions.getOrDefault(id, version), runtime == ZkRuntime.ISOLATED);
    }

    /** The settings of server {@code id}: the ensemble's, overridden by that server's own. */
    public ServerSettings settingsFor(int id) {
        Map<String, String> merged = new HashMap<>(serverSettings);
        merged.putAll(nodeSettings.getOrDefault(id, Map.of()));
        if (readOnlyMode) {
            // ZooKeeper's read-only server takes only local sessions; upgrading makes them global after the heal
            merged.put("localSessionsEnabled", "true");
            merged.put("localSessionsUpgradingEnabled", "true");
        }
        return ServerSettings.from(merged);
    }
}
