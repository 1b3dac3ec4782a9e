package io.github.zkharness.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The class files of an isolated class path are read once and shared, while each node's loader still defines classes
 * of its own (its own statics), as a jar's {@code URLClassLoader} would: same code source, same package; the jars stay
 * open only while a loader of that class path is.
 */
class ClassFileCacheTests {

    private static final String SERVER_METRICS = "org.apache.zookeeper.server.ServerMetrics";
    /**
     * ZooKeeper's command-line tools, in 3.8 and 3.9, which no node loads: not read yet when this test reads them,
     * whatever ran before in this JVM.
     */
    private static final String[] NEVER_LOADED_ELSEWHERE = {
        "org.apache.zookeeper.server.SnapshotFormatter",
        "org.apache.zookeeper.server.persistence.TxnLogToolkit",
        "org.apache.zookeeper.server.SnapshotComparer"
    };

    @Test
    void twoLoadersDefineClassesOfTheirOwnFromOneReadOfTheClassFile() throws Exception {
        URL[] classPath = ServerJars.classPath(ServerVersion.onClassPath());
        ClassFileCache files = ClassFileCache.of(classPath);
        assertSame(files, ClassFileCache.of(classPath), "one cache per class path");
        try (PeerClassLoader first = loader("first", classPath, files);
                PeerClassLoader second = loader("second", classPath, files)) {
            Class<?> a = Class.forName(SERVER_METRICS, false, first);
            ClassFileCache.ClassFile read = files.find(SERVER_METRICS);
            Class<?> b = Class.forName(SERVER_METRICS, false, second);

            assertNotSame(a, b, "each loader defines its own class, so each node has its own statics");
            assertSame(first, a.getClassLoader());
            assertSame(second, b.getClassLoader());
            assertNotSame(Class.forName(SERVER_METRICS), a, "nor is it the application's");
            assertNotNull(read, "the class file is cached");
            assertSame(read, files.find(SERVER_METRICS), "read once: the second loader got the same bytes");

            URL jar = ServerJars.root(
                    ServerJars.class.getClassLoader().getResource("org/apache/zookeeper/server/ServerMetrics.class"),
                    "org/apache/zookeeper/server/ServerMetrics.class");
            assertEquals(jar, a.getProtectionDomain().getCodeSource().getLocation(), "the jar it came from");
            assertEquals(jar, b.getProtectionDomain().getCodeSource().getLocation());
            assertNotNull(first.getDefinedPackage("org.apache.zookeeper.server"), "its package, in the node's loader");
            assertNotNull(second.getDefinedPackage("org.apache.zookeeper.server"));
        }
    }

    @Test
    void theJarsOpenWhileALoaderIsOpenAndCloseWithTheLastOne() throws Exception {
        URL[] classPath = ServerJars.classPath(ServerVersion.onClassPath());
        ClassFileCache files = ClassFileCache.of(classPath);
        try (PeerClassLoader first = loader("first", classPath, files)) {
            try (PeerClassLoader second = loader("second", classPath, files)) {
                Class.forName(NEVER_LOADED_ELSEWHERE[0], false, second);
                assertTrue(files.openJars() > 0, "a loader reading a class not read yet opened the jars");
            }
            assertTrue(files.openJars() > 0, "another loader of the class path is still open");
            Class.forName(NEVER_LOADED_ELSEWHERE[1], false, first);
        }
        assertEquals(0, files.openJars(), "the last loader closed: no jar of the class path is left open");

        try (PeerClassLoader later = loader("later", classPath, files)) {
            Class<?> c = Class.forName(NEVER_LOADED_ELSEWHERE[2], false, later);
            assertSame(later, c.getClassLoader(), "a loader opened later reads again what was not read");
        }
        assertEquals(0, files.openJars());
    }

    private static PeerClassLoader loader(String name, URL[] classPath, ClassFileCache files) {
        return new PeerClassLoader(name, classPath, ClassFileCacheTests.class.getClassLoader(), files);
    }
}
