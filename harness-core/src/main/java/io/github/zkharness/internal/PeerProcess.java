package io.github.zkharness.internal;

import io.github.zkharness.Role;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One run of one server, as the harness sees it: the code it runs ({@link ServerCode}: the shared ZooKeeper or a
 * class loader of its own) and the {@link PeerBridge} to the server, which is built on ZooKeeper's side
 * ({@code internal.server.ServerPeer}). A restart is a new {@code PeerProcess} on the same directories and ports.
 *
 * <p>Everything that creates ZooKeeper threads runs inside the node's {@link ThreadGroup}, so every thread the
 * peer creates, directly or not, belongs to that group: that is how the harness counts, tags and reaps them.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PeerProcess {

    /** The peer's place in the shared view: what every peer is told about it. */
    public record Member(
            long id,
            InetSocketAddress quorum,
            InetSocketAddress election,
            InetSocketAddress client,
            boolean observer) {}

    /** Everything one peer needs to start; {@code disk} holds the node's disk faults. */
    public record Spec(
            long id,
            File dataDir,
            File dataLogDir,
            int tickMs,
            int initLimit,
            int syncLimit,
            int minSessionMs,
            int maxSessionMs,
            List<Member> view,
            ServerSettings settings,
            DiskState disk) {}

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A TLS client port: {@code plainToo} also takes plain clients on the same port (ZooKeeper's port unification);
     * {@code fourLetterWords} opens the TLS sockets {@link #fourLetterWord} needs when plain clients are refused.
     */
    public record ClientTls(boolean plainToo, SSLSocketFactory fourLetterWords) {}

    private final long id;
    private final ThreadGroup group;
    private final ServerCode code;
    private final ServerCode.Run run;
    private final PeerBridge bridge;
    private final @Nullable ClientTls tls;
    private volatile Instant startedAt;
    private volatile boolean startReturned;

    private PeerProcess(
            long id,
            ThreadGroup group,
            ServerCode code,
            ServerCode.Run run,
            PeerBridge bridge,
            @Nullable ClientTls tls) {
        this.id = id;
        this.tls = tls;
        this.group = group;
        this.code = code;
        this.run = run;
        this.bridge = bridge;
    }

    /**
     * Loads {@code code} for this run (on the isolated runtime: a fresh class loader) and binds the client port (port
     * 0 means any free port: the factory reports the one it got). The port is bound before the peer exists so that
     * every peer's view can list every client address. With {@code tls}, a TLS client port: ZooKeeper's Netty factory
     * (the only one that does TLS), whose server certificate comes from the JVM-wide settings
     * {@link JvmSecurityGlobals#acquireClientPortTls} made; with {@code saslSection}, SASL clients log in through that JAAS
     * section ({@link JvmSecurityGlobals#acquireSasl} serves it). {@code loaded} is the run of {@code code} loaded ahead for
     * this node ({@link ServerCode#load}), or null to load it now; on failure the run is retired either way.
     */
    public static PeerProcess bind(
            long id,
            InetSocketAddress clientBind,
            ServerSettings settings,
            ThreadGroup group,
            ServerCode code,
            ServerCode.@Nullable Run loaded,
            @Nullable ClientTls tls,
            @Nullable String saslSection)
            throws IOException {
        ServerCode.Run run = loaded != null ? loaded : code.load("node " + id);
        PeerBridge bridge;
        try {
            bridge = run.side().newPeer();
        } catch (RuntimeException | Error e) {
            run.retire(group);
            throw e;
        }
        boolean secure = tls != null;
        boolean plainToo = tls != null && tls.plainToo();
        try {
            inGroup(
                    group,
                    run.loader(),
                    "zk-harness-bind-" + id,
                    () ->
                            // ZooKeeper reads zookeeper.sasl.serverconfig while it configures the factory, and the
                            // Netty
                            // factory's constructor reads zookeeper.client.portUnification: both JVM-wide, set for the
                            // moment
                            JvmSecurityGlobals.withSaslServerSection(
                                    saslSection,
                                    () -> JvmSecurityGlobals.withClientPortUnification(secure && plainToo, () -> {
                                        bridge.bind(id, clientBind, settings, secure, plainToo);
                                        return null;
                                    })));
        } catch (IOException | RuntimeException | Error e) {
            run.retire(group);
            throw e;
        }
        return new PeerProcess(id, group, code, run, bridge, tls);
    }

    /** The bridge to this run's server. */
    public PeerBridge bridge() {
        return bridge;
    }

    /** The code this run runs: its version, and whether it has a class loader of its own. */
    public ServerCode code() {
        return code;
    }

    /** The class loader of this run on the isolated runtime, or null on the shared runtime. */
    public ClassLoader classLoader() {
        return run.loader();
    }

    /** When {@link #start} began, or null before. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The address the server really listens on for clients. */
    public InetSocketAddress boundClientAddress() {
        return bridge.boundClientAddress();
    }

    /** Builds the peer and starts it. Returns once its ports are bound and election has begun. */
    public void start(Spec spec, PeerWiring wiring) throws IOException {
        JvmGlobals.awaitInstalled(); // no peer before ZooKeeper's JMX registry is replaced
        startedAt = Instant.now();
        try {
            inGroup(group, run.loader(), "zk-harness-start-" + id, () -> {
                bridge.start(spec, wiring);
                return null;
            });
        } finally {
            startReturned = true;
        }
        if (group instanceof NodeThreads threads) {
            threads.watch();
        }
    }

    /** The role ZooKeeper reports now; {@link Role#STOPPED} once shut down. */
    public Role role() {
        return bridge.role();
    }

    /** Whether it accepts client requests now: it has a role other than looking and its server runs. */
    public boolean serving() {
        return bridge.serving();
    }

    /** Whether it leads and its quorum port is bound (ZooKeeper binds it when it becomes leader). */
    public boolean listensAsLeader() {
        return bridge.listensAsLeader();
    }

    /**
     * Whether its {@link #start} was called and has not returned yet: its election port is being bound (or is bound)
     * and its election is about to begin, but {@link #running()} is still false.
     */
    public boolean starting() {
        return startedAt != null && !startReturned;
    }

    /** Whether the peer was started and has not been shut down. */
    public boolean running() {
        return bridge.running();
    }

    /** The id this peer currently believes leads, or -1. */
    public long leaderId() {
        return bridge.leaderId();
    }

    /** The last transaction applied to its in-memory database. */
    public long lastZxid() {
        return bridge.lastZxid();
    }

    /** The current epoch from the peer's own record, or from the zxid when that is not readable. */
    public long epoch() {
        return bridge.epoch();
    }

    /** Sends a four-letter word straight to the server's own client port and returns its answer, byte for byte. */
    public String fourLetterWord(String command, Duration timeout) throws IOException {
        ClientTls t = tls;
        try (Socket socket = t != null && !t.plainToo() ? t.fourLetterWords().createSocket() : new Socket()) {
            socket.connect(boundClientAddress(), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The process crashes, now: nothing more reaches its files (see {@code NodeStorage#crash()}). Call
     * {@link #shutdown} next to stop its threads; ZooKeeper's flushes on the way down are then dropped.
     */
    public void crash() {
        bridge.crash();
    }

    /**
     * After {@link #crash()} and {@link #shutdown}: the power goes too, and what the log files got since their last
     * sync is lost but for what {@code survival} lets survive (null: nothing), and each snapshot not forced that was
     * written since the last sync but for what {@code snapshotSurvival} lets survive (null: nothing). Returns what it
     * did to each file.
     */
    public List<UnsyncedTail.Cut> losePower(Random survival, Random snapshotSurvival) throws IOException {
        return bridge.losePower(survival, snapshotSurvival);
    }

    /**
     * Shuts the peer down (ZooKeeper flushes what it has queued, unless {@link #crash()} came first) and waits for
     * its main thread. Without a peer (start failed), closes the client port. On the isolated runtime the run's
     * class loader is closed once its last thread ended.
     */
    public void shutdown(Duration timeout) {
        try {
            bridge.shutdown(timeout);
        } finally {
            run.retire(group);
        }
    }

    /** Runs {@code task} in a fresh thread of {@code group}, so that every thread it creates joins the group. */
    static <T> T inGroup(ThreadGroup group, ClassLoader loader, String name, Callable<T> task) throws IOException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                group,
                () -> {
                    try {
                        result.set(task.call());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                name);
        thread.setDaemon(true);
        if (loader != null) {
            thread.setContextClassLoader(
                    loader); // ZooKeeper's threads inherit it: that is how the run's threads are known
        }
        thread.start();
        try {
            thread.join(STEP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + name, e);
        }
        if (thread.isAlive()) {
            throw new IOException(name + " did not finish within " + STEP_TIMEOUT.toSeconds() + " s");
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IOException(t);
        }
        return result.get();
    }
}
