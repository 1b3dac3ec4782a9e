package io.github.zkharness.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;

/**
 * The class files of one isolated class path (one ZooKeeper version), read once and shared by every
 * {@link PeerClassLoader} of that class path: each loader still defines its own classes from these bytes (its own
 * statics), but only the first one reads and inflates them from the jars. Without it every node run of the isolated
 * runtime read the same few hundred class files again, which took more of its start than defining them.
 *
 * <p>It holds the bytes of the classes loaded so far (a few MB at most per version, for the life of the JVM) and the
 * jars it read them from, which it opens when a loader of its class path needs a class not read yet and closes when
 * the last open loader of its class path closes: no jar stays open longer than it did when each loader read its own.
 * A class whose jar entry is signed is not served from here (the loader reads it itself, with its signers).
 */
final class ClassFileCache {

    /** A class file: its bytes, and the root (jar or directory) of the class path it came from. */
    record ClassFile(byte[] bytes, URL root, Manifest manifest) {}

    private static final Map<String, ClassFileCache> BY_CLASS_PATH = new ConcurrentHashMap<>();

    private final URL[] roots;
    /** Every class name looked up so far: its file, or empty when no root has it or it must not be shared. */
    private final Map<String, Optional<ClassFile>> files = new ConcurrentHashMap<>();
    /** The open jars, by root index; guarded by this. */
    private final JarFile[] jars;
    /** The manifests of the jars, by root index, once read; guarded by this. */
    private final Manifest[] manifests;

    private final boolean[] manifestRead;
    /** The open loaders of this class path; guarded by this. */
    private int loaders;

    private ClassFileCache(URL[] roots) {
        this.roots = roots.clone();
        this.jars = new JarFile[roots.length];
        this.manifests = new Manifest[roots.length];
        this.manifestRead = new boolean[roots.length];
    }

    /**
     * The cache of {@code classPath}: the same one for the same roots, unless a jar changed on disk (then a fresh
     * one, so that a replaced jar is read again).
     */
    static ClassFileCache of(URL[] classPath) {
        StringBuilder key = new StringBuilder();
        for (URL root : classPath) {
            key.append(root).append('|');
            Path path = pathOf(root);
            if (path != null) {
                try {
                    key.append(Files.getLastModifiedTime(path).toMillis())
                            .append('|')
                            .append(Files.size(path));
                } catch (IOException e) {
                    key.append("unreadable");
                }
            }
            key.append('\n');
        }
        return BY_CLASS_PATH.computeIfAbsent(key.toString(), k -> new ClassFileCache(classPath));
    }

    /** A loader of this class path was opened: the jars may be opened until it is closed. */
    synchronized void opened() {
        loaders++;
    }

    /** A loader of this class path was closed: with the last one, the jars close (the bytes read stay). */
    synchronized void closed() {
        loaders--;
        if (loaders > 0) {
            return;
        }
        loaders = 0;
        for (int i = 0; i < jars.length; i++) {
            if (jars[i] != null) {
                try {
                    jars[i].close();
                } catch (IOException e) {
                    // nothing was written: nothing is lost
                }
                jars[i] = null;
            }
        }
    }

    /**
     * The class file of {@code className} from the first root that has it, or null when none has it or it must not
     * be shared (a signed entry, an unreadable file): the loader then looks for it itself.
     */
    ClassFile find(String className) {
        Optional<ClassFile> known = files.get(className);
        if (known == null) {
            try {
                known = Optional.ofNullable(read(className.replace('.', '/') + ".class"));
            } catch (IOException | RuntimeException e) {
                return null; // not remembered: the loader's own lookup reports what is wrong
            }
            Optional<ClassFile> raced = files.putIfAbsent(className, known);
            if (raced != null) {
                known = raced;
            }
        }
        return known.orElse(null);
    }

    /** The file from the first root that has it, or null when none has it or its entry is signed. */
    private ClassFile read(String entryName) throws IOException {
        for (int i = 0; i < roots.length; i++) {
            JarFile jar = jar(i);
            if (jar != null) {
                JarEntry entry = jar.getJarEntry(entryName);
                if (entry == null) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = jar.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                // signers are known once the entry was read to its end
                return entry.getCodeSigners() == null ? new ClassFile(bytes, roots[i], manifest(i, jar)) : null;
            }
            Path directory = pathOf(roots[i]);
            if (directory != null && Files.isDirectory(directory)) {
                Path file = directory.resolve(entryName);
                if (Files.isRegularFile(file)) {
                    return new ClassFile(Files.readAllBytes(file), roots[i], null);
                }
            }
        }
        return null;
    }

    /** The open jar of root {@code i}, or null when that root is not a jar. */
    private synchronized JarFile jar(int i) throws IOException {
        if (jars[i] != null) {
            return jars[i];
        }
        if (loaders == 0) {
            throw new IOException("no loader of this class path is open"); // nobody would close the jar
        }
        Path path = pathOf(roots[i]);
        if (path == null || !Files.isRegularFile(path)) {
            return null;
        }
        // as URLClassLoader opens it: multi-release entries for this JVM's version
        jars[i] = new JarFile(path.toFile(), true, ZipFile.OPEN_READ, JarFile.runtimeVersion());
        return jars[i];
    }

    private synchronized Manifest manifest(int i, JarFile jar) throws IOException {
        if (!manifestRead[i]) {
            manifests[i] = jar.getManifest();
            manifestRead[i] = true;
        }
        return manifests[i];
    }

    /** How many of its jars are open now (for tests). */
    synchronized int openJars() {
        int open = 0;
        for (JarFile jar : jars) {
            if (jar != null) {
                open++;
            }
        }
        return open;
    }

    private static Path pathOf(URL root) {
        if (!"file".equals(root.getProtocol())) {
            return null;
        }
        try {
            return Paths.get(root.toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
