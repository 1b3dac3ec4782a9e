package io.github.zkharness.internal;

import io.github.zkharness.ZkInterruptedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import javax.security.auth.login.Configuration;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where zk-harness changes JVM-wide state, with its part for secured ensembles,
 * {@link JvmSecurityGlobals} (TLS client ports, JAAS and SASL: items 7 and 8 below; {@code ArchitectureRulesTests}
 * checks that no other class of the library sets a system property). ZooKeeper keeps these settings in statics or
 * reads them from system properties, so they cannot be per ensemble. {@link #install()} runs once, before
 * the first peer is built; docs/guide/what-the-harness-does-to-your-jvm.md lists the same items. It first checks
 * that the ZooKeeper on the class path is one zk-harness supports ({@link ZooKeeperVersion}) and changes nothing
 * if not.
 *
 * <ol>
 *   <li><b>Exit procedure</b>: {@code ServiceUtils.setSystemExitProcedure} records ZooKeeper's requests to
 *       exit the JVM (for example after failing to bind a port) instead of exiting. Each request is handed to
 *       the ensemble whose thread made it, which reports it as a failure.</li>
 *   <li><b>Admin server</b>: {@code zookeeper.admin.enableServer=false} unless the user set it; set to
 *       anything else, {@link #install()} refuses with the reason: ZooKeeper's AdminServer would bind Jetty on
 *       0.0.0.0:8080 for every peer whenever Jetty is on the classpath.</li>
 *   <li><b>JMX</b>: ZooKeeper's {@code MBeanRegistry} singleton is replaced by one that registers nothing.
 *       Bean names contain only the server id, so two ensembles collide, and registered beans would keep
 *       every stopped peer reachable (a leak across restarts).</li>
 *   <li><b>Four-letter-word whitelist</b>: static in {@code FourLetterCommands}. An ensemble states the list
 *       it wants; ensembles running at the same time must agree (see {@link #acquireFourLetterWords}).</li>
 *   <li><b>Defaults set only when the user has not set the property</b>:
 *       {@code zookeeper.nio.numSelectorThreads=1}, {@code zookeeper.nio.numWorkerThreads=0},
 *       {@code zookeeper.commitProcessor.numWorkerThreads=0} (fewer threads per peer),
 *       {@code zookeeper.fastleader.minNotificationInterval=50} (a vote that reached a peer still
 *       shutting down its follower role, a race after every leader loss, is sent again after 50 ms instead of
 *       200: a failover then takes about 250 ms, not 400), {@code zookeeper.fastleader.maxNotificationInterval=1000}
 *       (a healed node rejoins in about a second instead of up to 60), {@code zookeeper.forceSync=no} (no fsync: all peers share one OS, so a
 *       "crash" in this JVM never loses the page cache), {@code zookeeper.jmx.log4j.disable=true}.</li>
 *   <li><b>Read-only mode</b>: ZooKeeper's {@code readonlymode.enabled} system property, which
 *       {@code QuorumPeer.run()} reads ({@code Boolean.getBoolean}) each time a peer starts looking for a leader, for
 *       every peer in the JVM. While an ensemble built with {@code readOnlyMode(true)} runs, the harness sets it to
 *       {@code true} (unless a test set it) and clears it again when the last such ensemble closes
 *       ({@link #acquireReadOnlyMode}). Set by a test, it turns read-only mode on for every ensemble built while it
 *       is set ({@link #readOnlyModeSetByUser()}).</li>
 *   <li><b>TLS on client ports</b> (only while an ensemble built with {@code tls(true)} runs,
 *       {@link JvmSecurityGlobals#acquireClientPortTls}): ZooKeeper's Netty factory, the only one that does TLS, reads its server
 *       certificate from system properties, so every TLS client port of the JVM presents one certificate (a CA and a
 *       server certificate for 127.0.0.1 and localhost that the harness generates into a temporary directory of
 *       its own). Set: {@code zookeeper.ssl.authProvider=x509},
 *       {@code zookeeper.authProvider.x509=org.apache.zookeeper.server.quorum.HarnessClientPortAuth} (registered in
 *       each loaded ZooKeeper's {@code ProviderRegistry}, see {@link ServerSide#updateAuthProvider}), {@code zookeeper.ssl.clientAuth} ({@code need} with
 *       {@code mutualTls(true)}, else {@code none}), and the harness's own {@code zkharness.clientPort.keyStore},
 *       {@code zkharness.clientPort.trustStore} and {@code zkharness.clientPort.password}. Never
 *       {@code zookeeper.ssl.keyStore.*} or {@code zookeeper.ssl.trustStore.*}: every {@code ZKClientConfig} of the
 *       JVM copies those, and a client without a trust store of its own would silently trust the servers. All of it
 *       is removed, and the directory deleted, when the last such ensemble closes. While a TLS client port is
 *       built, {@code zookeeper.client.portUnification} is set for the constructor alone
 *       ({@link JvmSecurityGlobals#withClientPortUnification}).</li>
 *   <li><b>SASL</b> (only while an ensemble with {@code saslUser(...)} or {@code quorumSasl(true)} runs, {@link JvmSecurityGlobals#acquireSasl}): the JDK's one JAAS
 *       {@link Configuration} is replaced by the harness's, which serves its own {@code zkharness-...} sections (a
 *       server section per ensemble, a client section per client configuration) and hands every other name to the
 *       previous one, put back when the last such ensemble closes; {@code zookeeper.authProvider.sasl} (ZooKeeper's
 *       {@code sasl} ACL scheme) unless set; {@code zookeeper.sasl.serverconfig} for the moment a client port is
 *       configured ({@link JvmSecurityGlobals#withSaslServerSection}). While an ensemble built with {@code quorumSasl(true)} runs,
 *       {@code zookeeper.fips-mode=false} unless set (ZooKeeper 3.9's quorum learner reads it from the system
 *       properties alone and refuses DIGEST-MD5 in its FIPS mode); removed when the last such ensemble closes.</li>
 *   <li><b>Transaction log preallocation</b>: {@code FileTxnLog.setPreallocSize} 1 MiB instead of 64 MiB
 *       unless {@code zookeeper.preAllocSize} is set.</li>
 *   <li><b>An unconfigured logback</b> (logback-classic bound, no configuration file, only logback's default
 *       console appender, as a test class path pinned to ZooKeeper 3.8 gets it): {@code org.apache.zookeeper} logs
 *       from INFO up to the root's appenders other than the console, {@code io.github.zkharness} from WARN up
 *       (see {@link UnconfiguredLogback}). A configured logback is left alone.</li>
 * </ol>
 *
 * <p>The exit procedure, the JMX registry, the preallocation, the whitelist and the authentication providers are
 * statics of ZooKeeper's classes: on the isolated runtime each node's class loader has its own copy, and
 * {@link ServerCode} applies the same treatment to each when it makes the loader (a loader made later reads the
 * providers from the system properties when ZooKeeper first uses them). The system properties and the JAAS
 * configuration are the JVM's, shared by every loader.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class JvmGlobals {

    private static final Logger LOG = LoggerFactory.getLogger(JvmGlobals.class);

    /** All four-letter words ZooKeeper knows. */
    public static final String ALL_FOUR_LETTER_WORDS = "*";

    private static final String ADMIN_SERVER = "zookeeper.admin.enableServer";

    private static boolean installed;
    private static boolean loggingQuieted;
    /**
     * The replacement of ZooKeeper's {@code MBeanRegistry}: its class initializer builds the JVM's platform MBean
     * server, about 50 ms in a fresh JVM, so it runs on a thread of its own while a first start does other work.
     */
    private static FutureTask<Void> jmxOff;

    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(30);
    private static final List<ExitRequest> unattributed = new ArrayList<>();
    private static final Map<ThreadGroup, Consumer<ExitRequest>> exitListeners =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private static String whitelist;
    private static final Map<Object, String> whitelistHolders = new IdentityHashMap<>();

    /** ZooKeeper's JVM-wide switch for read-only servers, read by {@code QuorumPeer.run()} whenever a peer looks. */
    public static final String READ_ONLY_MODE = "readonlymode.enabled";

    private static final Set<Object> readOnlyHolders = Collections.newSetFromMap(new IdentityHashMap<>());
    private static boolean readOnlySetByHarness;

    private JvmGlobals() {}

    /**
     * Applies every JVM-wide setting listed in the class comment, once. Safe to call many times. The JMX registry's
     * replacement finishes on a thread of its own: {@link #awaitInstalled()} waits for it.
     *
     * @throws IllegalStateException if the ZooKeeper on the class path is not supported (see
     *                               {@link ZooKeeperVersion#requireSupported()}); nothing is changed then
     */
    public static synchronized void install() {
        String admin = System.getProperty(ADMIN_SERVER);
        if (admin != null && !admin.equalsIgnoreCase("false")) {
            throw new IllegalStateException("the system property " + ADMIN_SERVER + "=" + admin + " asks every"
                    + " ZooKeeper server of this JVM to start an AdminServer (Jetty on 0.0.0.0:8080 by default): peers of"
                    + " one ensemble would fight over that port and it would listen beyond loopback. zk-harness refuses"
                    + " it; remove the property or set it to false");
        }
        if (installed) {
            return;
        }
        ZooKeeperVersion.requireSupported();
        installed = true;
        System.setProperty(ADMIN_SERVER, "false");
        setDefault("zookeeper.nio.numSelectorThreads", "1");
        setDefault("zookeeper.nio.numWorkerThreads", "0");
        setDefault("zookeeper.commitProcessor.numWorkerThreads", "0");
        setDefault("zookeeper.fastleader.minNotificationInterval", "50");
        setDefault("zookeeper.fastleader.maxNotificationInterval", "1000");
        setDefault("zookeeper.forceSync", "no");
        setDefault("zookeeper.jmx.log4j.disable", "true");
        // ZooKeeper's statics (JMX registry, exit procedure, preallocation) are per loaded copy of its classes: the
        // shared runtime's here, each isolated node's when its class loader is made (ServerCode)
        ServerSide shared = ServerCode.shared().sharedSide();
        jmxOff = new FutureTask<>(() -> shared.install(JvmGlobals::exitRequested), null);
        Thread jmx = new Thread(NodeThreads.rootGroup(), jmxOff, "zk-harness-jmx-off");
        jmx.setDaemon(true);
        jmx.start();
        quietUnconfiguredLogback();
        LOG.debug("zk-harness installed its JVM-wide ZooKeeper settings");
    }

    /**
     * The "unconfigured logback" item of the class comment, once. {@link #install()} calls it, and so does whatever
     * loads ZooKeeper's classes before it (the class warmer), so that ZooKeeper's first lines are quiet too.
     */
    public static synchronized void quietUnconfiguredLogback() {
        if (loggingQuieted) {
            return;
        }
        loggingQuieted = true;
        try {
            Class.forName("ch.qos.logback.classic.LoggerContext", false, JvmGlobals.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return; // no logback: nothing to quiet
        }
        try {
            UnconfiguredLogback.quiet();
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("left logback's default configuration as it is: {}", e.toString());
        }
    }

    /**
     * Returns once everything {@link #install()} began is in place; before any peer is built. Does nothing before
     * {@code install()}.
     *
     * @throws IllegalStateException if the replacement of ZooKeeper's JMX registry failed or took over 30 s
     * @throws ZkInterruptedException if the thread is interrupted while it waits
     */
    public static void awaitInstalled() {
        FutureTask<Void> task;
        synchronized (JvmGlobals.class) {
            task = jmxOff;
        }
        if (task == null) {
            return;
        }
        try {
            task.get(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "zk-harness could not replace ZooKeeper's JMX registry: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("zk-harness's replacement of ZooKeeper's JMX registry (thread"
                    + " zk-harness-jmx-off) did not finish within " + INSTALL_TIMEOUT.toSeconds() + " s: the JVM's"
                    + " platform MBean server did not come up; a thread dump shows where that thread waits");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while waiting for zk-harness's JVM-wide settings", e);
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Routes exit requests made by threads of {@code group} (or its subgroups) to {@code listener}.
     * Returns a handle that removes the route.
     */
    public static AutoCloseable onExitRequest(ThreadGroup group, Consumer<ExitRequest> listener) {
        exitListeners.put(group, listener);
        return () -> exitListeners.remove(group);
    }

    /** Where ZooKeeper's requests to exit the JVM go, in every loaded copy of its classes. */
    static IntConsumer exitProcedure() {
        return JvmGlobals::exitRequested;
    }

    /** Exit requests that came from threads no ensemble owns. */
    public static synchronized List<ExitRequest> unattributedExitRequests() {
        return List.copyOf(unattributed);
    }

    private static void exitRequested(int code) {
        Thread thread = Thread.currentThread();
        ExitRequest request = new ExitRequest(code, thread.getName(), new Throwable("ZooKeeper asked the JVM to exit"));
        LOG.error(
                "ZooKeeper asked the JVM to exit with code {} from thread {}; zk-harness refused and will report it",
                code,
                thread.getName());
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            Consumer<ExitRequest> listener = exitListeners.get(g);
            if (listener != null) {
                listener.accept(request);
                return;
            }
        }
        synchronized (JvmGlobals.class) {
            unattributed.add(request);
        }
    }

    /**
     * Makes {@code words} ZooKeeper's JVM-wide four-letter-word whitelist for as long as {@code holder} runs.
     *
     * @throws IllegalStateException if another running ensemble holds a different list
     */
    public static synchronized void acquireFourLetterWords(Object holder, Set<String> words) {
        String wanted =
                words.contains(ALL_FOUR_LETTER_WORDS) ? ALL_FOUR_LETTER_WORDS : String.join(",", new TreeSet<>(words));
        whitelistHolders.remove(holder);
        if (!whitelistHolders.isEmpty() && !Objects.equals(whitelist, wanted)) {
            throw new IllegalStateException(
                    "ZooKeeper keeps the four-letter-word whitelist JVM-wide: this ensemble asks for ["
                            + wanted + "] while " + whitelistHolders.size() + " running ensemble(s) use [" + whitelist
                            + "]. Give ensembles that run at the same time the same fourLetterWords(...)");
        }
        whitelistHolders.put(holder, wanted);
        if (!Objects.equals(whitelist, wanted)) {
            whitelist = wanted;
            System.setProperty("zookeeper.4lw.commands.whitelist", wanted);
            ServerCode.reloadFourLetterWords();
        }
    }

    /** Releases what {@link #acquireFourLetterWords} took for {@code holder}. */
    public static synchronized void releaseFourLetterWords(Object holder) {
        whitelistHolders.remove(holder);
    }

    /**
     * Whether ZooKeeper's {@code readonlymode.enabled} is {@code true} because someone other than the harness set it
     * (a test, a {@code -D} on the command line): then every ensemble built meanwhile runs in read-only mode.
     */
    public static synchronized boolean readOnlyModeSetByUser() {
        return Boolean.getBoolean(READ_ONLY_MODE) && !readOnlySetByHarness;
    }

    /**
     * Turns ZooKeeper's JVM-wide {@code readonlymode.enabled} on for as long as {@code holder} (an ensemble in
     * read-only mode) runs. A value a test set is left alone.
     */
    public static synchronized void acquireReadOnlyMode(Object holder) {
        readOnlyHolders.add(holder);
        if (!Boolean.getBoolean(READ_ONLY_MODE)) {
            System.setProperty(READ_ONLY_MODE, "true");
            readOnlySetByHarness = true;
        }
    }

    /**
     * Releases what {@link #acquireReadOnlyMode} took for {@code holder}; the last holder clears the property if the
     * harness set it. Does nothing for a holder that never acquired it.
     */
    public static synchronized void releaseReadOnlyMode(Object holder) {
        if (readOnlyHolders.remove(holder) && readOnlyHolders.isEmpty() && readOnlySetByHarness) {
            System.clearProperty(READ_ONLY_MODE);
            readOnlySetByHarness = false;
        }
    }

    /** ZooKeeper asked the JVM to exit; the harness recorded it instead. */
    public record ExitRequest(int code, String threadName, Throwable where) {
        @Override
        public String toString() {
            return "exit(" + code + ") requested by thread " + threadName;
        }
    }
}
