package io.github.zkharness.internal;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.List;
import java.util.jar.Manifest;

/**
 * The class loader of one run of one node on the isolated runtime: ZooKeeper's server, its third-party jars and the
 * harness's ZooKeeper-side classes ({@code io.github.zkharness.internal.server}, the harness classes in ZooKeeper's
 * packages) load in it, child-first. Its parent is the platform loader (the JDK); from the application it takes
 * only SLF4J (one logging backend for every node) and the harness's own classes outside
 * {@code internal.server}, which name no ZooKeeper type: the bridge ({@link PeerBridge}, {@link ServerSide},
 * {@link PeerWiring}) and what crosses it.
 *
 * <p>It defines its classes from the class files of its class path's {@link ClassFileCache}, shared by every loader
 * of the same class path, so that the jars are read and inflated once per version instead of once per node run; it
 * reads a class the cache does not serve (a signed one) itself, as any {@code URLClassLoader}.
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
    private final ClassFileCache files;
    private boolean closed; // guarded by this

    PeerClassLoader(String name, URL[] urls, ClassLoader application, ClassFileCache files) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.application = application;
        this.files = files;
        files.opened();
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
                c = defineCached(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        return super.loadClass(name, resolve); // the platform's, or not found
                    }
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** Defines {@code name} from the shared class file, as {@code URLClassLoader} would from its jar; null if none. */
    private Class<?> defineCached(String name) {
        ClassFileCache.ClassFile file = files.find(name);
        if (file == null) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            definePackageOf(name.substring(0, dot), file.manifest(), file.root());
        }
        return defineClass(
                name, file.bytes(), 0, file.bytes().length, new CodeSource(file.root(), (CodeSigner[]) null));
    }

    private void definePackageOf(String packageName, Manifest manifest, URL root) {
        Package known = getDefinedPackage(packageName);
        if (known != null) {
            if (known.isSealed() && !known.isSealed(root)) {
                throw new SecurityException("sealing violation: package " + packageName + " is sealed");
            }
            return;
        }
        try {
            if (manifest != null) {
                definePackage(packageName, manifest, root);
            } else {
                definePackage(packageName, null, null, null, null, null, null, null);
            }
        } catch (IllegalArgumentException e) {
            // defined meanwhile by another thread of this loader: the same package
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    files.closed();
                }
            }
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
