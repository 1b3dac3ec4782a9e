package io.github.zkharness.internal.ensemble;

import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.internal.NodeThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads, once per JVM and on a daemon thread of its own, the ZooKeeper classes a first start needs, while that
 * start does its own sequential work (directories, ports, links, each peer's construction) and while the
 * election waits its fixed 200 ms: a cold first start spends most of its time loading classes, and on a machine
 * with more than one core much of that can run beside it. It also initializes {@code X509Util}, whose static
 * initializer sets up the JDK's whole TLS stack (every {@code QuorumPeer} builds one, even without TLS).
 *
 * <p>It starts when the first ensemble is built, before {@code JvmGlobals} sets its defaults, so it only loads,
 * except that one class: class initializers of ZooKeeper read system properties once, and the peers' own start
 * initializes them after {@code JvmGlobals} has set its defaults, as without this. {@code X509Util}'s initializer
 * reads none of those settings and initializes no other ZooKeeper class (checked on 3.9.5 and 3.8.6). The list
 * ({@code zookeeper-classes.txt}) is what a 3-node start with one client loaded on ZooKeeper 3.9.5; a name another
 * version lacks is skipped. Nothing waits for it: a peer that needs a class first loads it itself.
 *
 * <p>A node's own loader (isolated runtime) is warmed with that list but for the classes only a client needs
 * ({@code zookeeper-client-classes.txt}: those of the list that no node's loader loaded in a 3-node start on which a
 * client wrote, read and watched; the test's clients use the application's ZooKeeper).
 */
final class ClassWarmer {

    private static final Logger LOG = LoggerFactory.getLogger(ClassWarmer.class);
    private static final String LIST = "zookeeper-classes.txt";
    private static final String CLIENT_ONLY = "zookeeper-client-classes.txt";
    private static final String INITIALIZE = "org.apache.zookeeper.common.X509Util";
    private static boolean started;

    private ClassWarmer() {}

    /** Starts the loading the first time it is called in this JVM; later calls do nothing. */
    static synchronized void startOnce() {
        if (started) {
            return;
        }
        started = true;
        JvmGlobals.quietUnconfiguredLogback(); // X509Util's initializer logs
        Thread warmer = new Thread(NodeThreads.rootGroup(), ClassWarmer::run, "zk-harness-class-warmer");
        warmer.setDaemon(true);
        warmer.setPriority(Thread.MIN_PRIORITY);
        warmer.start();
    }

    /**
     * Loads (without initializing) the listed classes into {@code loader}, a node's own on the isolated runtime, in the
     * calling thread. Peers started together are warmed together first, so that none starts its election late: with
     * equal data the highest id must be in election when the others are to win it, as on the shared runtime.
     */
    static void loadInto(ClassLoader loader) {
        try {
            Set<String> clientOnly = new HashSet<>(names(CLIENT_ONLY));
            for (String name : names(LIST)) {
                if (clientOnly.contains(name)) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // another ZooKeeper version: that class is not needed then
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("class warm-up of {} stopped early", loader, e);
        }
    }

    /** The class names of list {@code resource}, in its order; none if it is missing. */
    private static List<String> names(String resource) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = ClassWarmer.class.getResourceAsStream(resource)) {
            if (in == null) {
                return names;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String name; (name = lines.readLine()) != null; ) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    private static void run() {
        ClassLoader loader = ClassWarmer.class.getClassLoader();
        long start = System.nanoTime();
        int loaded = 0;
        try {
            Class.forName(INITIALIZE, true, loader);
            try (InputStream in = ClassWarmer.class.getResourceAsStream(LIST)) {
                if (in == null) {
                    return;
                }
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String name; (name = lines.readLine()) != null; ) {
                    try {
                        Class.forName(name.trim(), false, loader);
                        loaded++;
                    } catch (ClassNotFoundException | LinkageError e) {
                        // another ZooKeeper version: that class is not needed then
                    }
                }
            }
        } catch (IOException | ClassNotFoundException | LinkageError | RuntimeException e) {
            LOG.debug("class warm-up stopped early", e);
        }
        LOG.debug("loaded {} ZooKeeper classes ahead of use in {} ms", loaded, (System.nanoTime() - start) / 1_000_000);
    }
}
