package io.github.zkharness.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code /proc} readers (Linux, where this project's build runs) against sockets and files this test opens. */
class ProcReadersTests {

    @Test
    void aLoopbackListenerOfThisProcessIsFoundAndAClosedOneIsGone() throws Exception {
        assertTrue(ProcNet.available(), "/proc/net/tcp and /proc/self/fd are readable");
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = socket.getLocalPort();
            ProcNet.Listener mine = ProcNet.ownListeners().stream()
                    .filter(l -> l.port() == port)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("port " + port + " not in " + ProcNet.ownListeners()));
            assertTrue(mine.loopback(), mine.toString());
            assertTrue(ProcNet.ownSocketInodes().contains(mine.inode()));
            assertTrue(ProcNet.describeSockets(Set.of(mine.inode())).get(0).contains(":" + port + " -> "));
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcNet.ownListeners().stream().noneMatch(l -> l.port() == port));
    }

    @Test
    void kernelAddressesAreWordsInHostByteOrder() throws Exception {
        String loopback = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "0100007F" : "7F000001";
        assertEquals(InetAddress.getByName("127.0.0.1"), ProcNet.address(loopback));
        assertEquals(InetAddress.getByName("0.0.0.0"), ProcNet.address("00000000"));
        assertEquals(InetAddress.getByName("::"), ProcNet.address("00000000000000000000000000000000"));
    }

    @Test
    void anOpenFileIsAmongTheDescriptorsAndCountsByItsPath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("held-open"), "x");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            JvmResources.Snapshot now = JvmResources.snapshot();
            assertTrue(
                    now.fds().containsValue(file.toRealPath().toString()),
                    now.fds().toString());
            assertEquals(1L, now.fdKinds().get(file.toRealPath().toString()));
        }
        assertEquals("socket", JvmResources.kind("socket:[123]"));
        assertEquals("pipe", JvmResources.kind("pipe:[7]"));
        assertEquals("/tmp/x", JvmResources.kind("/tmp/x (deleted)"));
        assertEquals("anon_inode:[eventpoll]", JvmResources.kind("anon_inode:[eventpoll]"));
    }
}
