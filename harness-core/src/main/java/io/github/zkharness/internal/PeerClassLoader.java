package io.github.zkharness.internal;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The class loader of one run of one node on the isolated runtime: ZooKeeper's server, its third-party jars and the
 * harness's ZooKeeper-side classes ({@code io.github.zkharness.internal.server}, the harness classes in ZooKeeper's
 * packages) load in it, child-first. Its parent is the platform loader (the JDK); from the application it takes
 * only SLF4J (one logging backend for every node) and the harness's own classes outside
 * {@code internal.server}, which name no ZooKeeper type: the bridge ({@link PeerBridge}, {@link ServerSide},
 * {@link PeerWiring}) and what crosses it.
 */
final class PeerClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    /** The harness's packages whose classes load in the node's loader: the rest of the harness comes from the application. */
    static final List<String> ZOOKEEPER_SIDE = List.of("io.github.zkharness.internal.server.");

    private static final List<String> FROM_APPLICATION =
            List.of("org.slf4j.", "org.apiguardian.", "io.github.zkharness.");
    private static final List<String> FROM_PLATFORM =
            List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.", "org.ietf.");

    private final ClassLoader application;

    PeerClassLoader(String name, URL[] urls, ClassLoader application) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.application = application;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (fromApplication(name)) {
            return application.loadClass(name);
        }
        if (startsWithAny(name, FROM_PLATFORM)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    return super.loadClass(name, resolve); // the platform's, or not found
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private static boolean fromApplication(String name) {
        return startsWithAny(name, FROM_APPLICATION) && !startsWithAny(name, ZOOKEEPER_SIDE);
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
