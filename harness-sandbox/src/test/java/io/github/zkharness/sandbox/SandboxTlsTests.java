package io.github.zkharness.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zk-sandbox --tls}: the printed trust store and zkCli flags connect, and the sandbox's own clients use TLS. */
class SandboxTlsTests {

    private static final Pattern TRUST_STORE = Pattern.compile("trust store: (\\S+) \\(PKCS12, password (\\S+)\\)");
    private static final Pattern ZKCLI =
            Pattern.compile("zkCli over TLS: CLIENT_JVMFLAGS=\"([^\"]+)\" zkCli\\.sh -server (\\S+)");

    @Test
    void theTrustStoreAndTheZkCliFlagsItPrintsConnect(@TempDir Path base) throws Exception {
        ZkSandbox sandbox = new ZkSandbox(base, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        int[] calls = {0};
        BufferedReader in = new BufferedReader(new StringReader("")) {
            @Override
            public String readLine() {
                if (calls[0]++ == 0) {
                    return "create /from-sandbox-over-tls hi"; // the sandbox's own client, over TLS
                }
                try {
                    seen.addAll(
                            Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n")));
                    Matcher trust = find(seen, TRUST_STORE);
                    assertTrue(Files.exists(Path.of(trust.group(1))), trust.group(1));
                    Matcher cli = find(seen, ZKCLI);
                    ZKClientConfig config = new ZKClientConfig();
                    for (String flag : cli.group(1).split(" ")) {
                        String[] kv = flag.substring("-D".length()).split("=", 2);
                        config.setProperty(kv[0], kv[1]);
                    }
                    assertEquals(trust.group(2), config.getProperty("zookeeper.ssl.trustStore.password"));
                    try (ZooKeeper client = connect(cli.group(2), config)) {
                        assertEquals(
                                "hi",
                                new String(
                                        client.getData("/from-sandbox-over-tls", false, null), StandardCharsets.UTF_8));
                    }
                    return null;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        assertEquals(0, sandbox.run(new String[] {"--tls", "--nodes", "1"}, in, out, System.err, false));
        assertTrue(seen.size() > 3, "nothing printed");
    }

    private static Matcher find(List<String> lines, Pattern pattern) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                return m;
            }
        }
        throw new AssertionError("no line matches " + pattern + " in " + lines);
    }

    private static ZooKeeper connect(String connectString, ZKClientConfig config) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(
                connectString,
                30_000,
                e -> {
                    if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                },
                config);
        if (!connected.await(20, TimeUnit.SECONDS)) {
            client.close();
            throw new AssertionError("a client with the printed flags did not connect within 20 s");
        }
        return client;
    }
}
