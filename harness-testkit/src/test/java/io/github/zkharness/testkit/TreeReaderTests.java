package io.github.zkharness.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree reader against a real standalone ZooKeeper server. */
class TreeReaderTests {

    @TempDir
    Path dir;

    @Test
    void readsEveryNodeOutsideZookeeperWithItsData() throws Exception {
        try (StandaloneServer server = new StandaloneServer(dir);
                ZooKeeper zk = Clients.connect(server.connectString())) {
            Clients.create(zk, "/a", "1");
            Clients.create(zk, "/a/b", "2");
            Clients.create(zk, "/a/b/c", "");
            Clients.create(zk, "/d", "4");
            for (int i = 0; i < 1200; i++) { // more than the reads kept in flight
                Clients.create(zk, "/d/n" + i, "v" + i);
            }
            Map<String, String> tree = TreeReader.read(zk);
            assertEquals(1 + 4 + 1200, tree.size(), "/, /a, /a/b, /a/b/c, /d and its children");
            assertEquals("", tree.get("/"));
            assertEquals("2", tree.get("/a/b"));
            assertEquals("", tree.get("/a/b/c"));
            assertEquals("v1199", tree.get("/d/n1199"));
            assertEquals(
                    List.of(),
                    tree.keySet().stream()
                            .filter(p -> p.startsWith("/zookeeper"))
                            .toList());
        }
    }

    @Test
    void differencesNameExtraMissingAndChangedPathsUpToTheLimit() {
        Map<String, String> expected = Map.of("/a", "1", "/b", "2", "/c", "3");
        Map<String, String> actual = Map.of("/a", "1", "/b", "two", "/d", "4");
        assertEquals(
                List.of("/b: \"two\" instead of \"2\"", "missing /c", "extra /d"),
                TreeReader.differences(expected, actual, 10));
        assertEquals(List.of("/b: \"two\" instead of \"2\""), TreeReader.differences(expected, actual, 1));
        assertEquals(List.of(), TreeReader.differences(expected, expected, 10));
    }
}
