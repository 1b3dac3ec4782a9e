package io.github.zkharness.internal;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import org.junit.jupiter.api.Test;

/**
 * Pins how {@code ServerPeer.configure} follows ZooKeeper's own way of configuring a server,
 * {@code QuorumPeerMain.runFromConfig}: every method that method calls on the {@link QuorumPeer} is accounted for
 * below, and the defaults {@code QuorumPeerConfig} gives them are the ones the harness uses. When a supported
 * ZooKeeper version adds a setting on that path, or changes a default, this test names it.
 *
 * <p>Run it against another version with {@code -Dzookeeper.version=3.8.6} on the Maven command line.
 */
class PeerConfigurationContractTest {

    /** Each QuorumPeer method runFromConfig calls, and what ServerPeer.configure does about it. */
    private static final Map<String, String> ACCOUNTED_FOR = new TreeMap<>(Map.ofEntries(
            entry("setTxnFactory", "called: the node's FileTxnSnapLog(dataLogDir, dataDir)"),
            entry("getTxnFactory", "a getter"),
            entry("enableLocalSessions", "called: serverSetting localSessionsEnabled, default false"),
            entry("enableLocalSessionsUpgrading", "called: serverSetting localSessionsUpgradingEnabled, default false"),
            entry("setElectionType", "called: 3, the only algorithm"),
            entry("setMyid", "called: the node id"),
            entry("setTickTime", "called: the builder's tickTime"),
            entry("setMinSessionTimeout", "called: the builder's sessionTimeouts"),
            entry("setMaxSessionTimeout", "called: the builder's sessionTimeouts"),
            entry("setInitLimit", "called: the builder's initLimit"),
            entry("setSyncLimit", "called: the builder's syncLimit"),
            entry("setConnectToLearnerMasterLimit", "called: serverSetting connectToLearnerMasterLimit, default 0"),
            entry("setObserverMasterPort", "called: 0 (off), ZooKeeper's default; not settable on loopback"),
            entry("setConfigFileName", "not called: there is no zoo.cfg"),
            entry("setClientPortListenBacklog", "called: serverSetting clientPortListenBacklog, default -1"),
            entry("setZKDatabase", "called: a new ZKDatabase on the txn factory"),
            entry("setQuorumVerifier", "called: QuorumMaj of the shared view"),
            entry("setLastSeenQuorumVerifier", "not called: only for a dynamic config file"),
            entry("initConfigInZKDatabase", "called"),
            entry("setCnxnFactory", "called: NIO on loopback"),
            entry("setSecureCnxnFactory", "called: null (no secureClientPort), ZooKeeper's default"),
            entry("setSslQuorum", "called: false, ZooKeeper's default"),
            entry("setUsePortUnification", "called: false, ZooKeeper's default"),
            entry("setLearnerType", "called: participant or observer"),
            entry("setSyncEnabled", "called: serverSetting syncEnabled, default true"),
            entry("setQuorumListenOnAllIPs", "called: false, always (loopback only)"),
            entry("getX509Util", "not called: only for sslQuorumReloadCertFiles, off without sslQuorum"),
            entry("setMultiAddressEnabled", "called: serverSetting multiAddress.enabled, default false"),
            entry("setMultiAddressReachabilityCheckEnabled", "called: serverSetting, default true"),
            entry("setMultiAddressReachabilityCheckTimeoutMs", "called: serverSetting, default 1000"),
            entry("setQuorumSaslEnabled", "called through HarnessQuorumPeer.useQuorumSasl: quorumSasl(...)"),
            entry("isQuorumSaslAuthEnabled", "a getter"),
            entry("setQuorumServerSaslRequired", "useQuorumSasl, only with quorum SASL on: true"),
            entry("setQuorumLearnerSaslRequired", "useQuorumSasl, only with quorum SASL on: true"),
            entry("setQuorumServicePrincipal", "useQuorumSasl, only with quorum SASL on: ZooKeeper's default"),
            entry("setQuorumServerLoginContext", "useQuorumSasl, only with quorum SASL on: the harness's section"),
            entry("setQuorumLearnerLoginContext", "useQuorumSasl, only with quorum SASL on: the peer's section"),
            entry("setQuorumCnxnThreadsSize", "called through HarnessQuorumPeer.setConnectionThreads: serverSetting"),
            entry("initialize", "called"),
            entry("setJvmPauseMonitor", "not called: only with jvm.pause.monitor=true, off by default"),
            entry("start", "called"),
            entry("join", "not called: the harness does not block on its peers")));

    @Test
    void everyCallOfRunFromConfigOnTheQuorumPeerIsAccountedFor() {
        Set<String> called = MethodCalls.of(QuorumPeerMain.class, "runFromConfig").stream()
                .filter(c -> c.owner().equals(QuorumPeer.class.getName()))
                .map(MethodCalls.Call::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(
                called.contains("setMyid") && called.contains("start"),
                "the class file reader found no QuorumPeer calls in runFromConfig: " + called);
        Set<String> added = new TreeSet<>(called);
        added.removeAll(ACCOUNTED_FOR.keySet());
        Set<String> gone = new TreeSet<>(ACCOUNTED_FOR.keySet());
        gone.removeAll(called);
        if (!added.isEmpty() || !gone.isEmpty()) {
            fail("ZooKeeper " + Version.getFullVersion().split("-")[0]
                    + " configures its peers differently from what zk-harness"
                    + " accounts for. QuorumPeerMain.runFromConfig now calls QuorumPeer." + added
                    + " (decide each in ServerPeer.configure, the table in docs/guide/what-the-harness-does-to-your-jvm.md and this test)"
                    + (gone.isEmpty() ? "" : "; it no longer calls " + gone));
        }
    }

    @Test
    void zooKeepersDefaultsAreTheHarnessDefaults() throws Exception {
        QuorumPeerConfig zk = new QuorumPeerConfig(); // reads system properties only; parse() is what has effects
        ServerSettings harness = ServerSettings.defaults();
        String changed =
                "ZooKeeper " + Version.getFullVersion().split("-")[0] + " changed QuorumPeerConfig's default of ";
        assertEquals(zk.isMultiAddressEnabled(), harness.multiAddressEnabled(), changed + "multiAddress.enabled");
        assertEquals(
                zk.isMultiAddressReachabilityCheckEnabled(),
                harness.multiAddressReachabilityCheckEnabled(),
                changed + "multiAddress.reachabilityCheckEnabled");
        assertEquals(
                zk.getMultiAddressReachabilityCheckTimeoutMs(),
                harness.multiAddressReachabilityCheckTimeoutMs(),
                changed + "multiAddress.reachabilityCheckTimeoutMs");
        assertEquals(zk.areLocalSessionsEnabled(), harness.localSessionsEnabled(), changed + "localSessionsEnabled");
        assertEquals(
                zk.isLocalSessionsUpgradingEnabled(),
                harness.localSessionsUpgradingEnabled(),
                changed + "localSessionsUpgradingEnabled");
        assertEquals(zk.getSyncEnabled(), harness.syncEnabled(), changed + "syncEnabled");
        assertEquals(
                zk.getClientPortListenBacklog(),
                harness.clientPortListenBacklog(),
                changed + "clientPortListenBacklog");
        assertEquals(
                zk.getConnectToLearnerMasterLimit(),
                harness.connectToLearnerMasterLimit(),
                changed + "connectToLearnerMasterLimit");
        assertEquals(3, zk.getElectionAlg(), changed + "electionAlg");
        assertEquals(0, zk.getObserverMasterPort(), changed + "observerMasterPort");
        assertEquals(false, zk.isSslQuorum(), changed + "sslQuorum");
        assertEquals(false, zk.shouldUsePortUnification(), changed + "portUnification");
        assertEquals(false, zk.getQuorumListenOnAllIPs(), changed + "quorumListenOnAllIPs");
        assertEquals(false, field(zk, "quorumEnableSasl"), changed + "quorum.auth.enableSasl");
        assertEquals(false, field(zk, "jvmPauseMonitorToRun"), changed + "jvm.pause.monitor");
        assertEquals(false, field(zk, "sslQuorumReloadCertFiles"), changed + "sslQuorumReloadCertFiles");
        // 0 leaves QuorumPeer's own 20 in place (setQuorumCnxnThreadsSize only raises it)
        assertEquals(0, field(zk, "quorumCnxnThreadsSize"), changed + "quorum.cnxn.threads.size");
        assertEquals(
                20,
                staticField(QuorumPeer.class, "QUORUM_CNXN_THREADS_SIZE_DEFAULT_VALUE"),
                changed + "quorum.cnxn.threads.size");
        assertEquals(harness.quorumCnxnThreadsSize(), 20, "the harness's quorum.cnxn.threads.size default");
        // the one the harness changes on purpose (docs/guide/what-the-harness-does-to-your-jvm.md): every test client
        // comes from 127.0.0.1
        assertEquals(60, zk.getMaxClientCnxns(), changed + "maxClientCnxns");
        assertEquals(0, harness.maxClientCnxns(), "the harness's maxClientCnxns default");
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    private static Object staticField(Class<?> type, String name) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }
}
