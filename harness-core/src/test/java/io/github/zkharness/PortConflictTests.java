package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.internal.Ports;
import io.github.zkharness.testkit.Clients;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

class PortConflictTests {

    /** Hands out, first, a port that "another process" (this test) grabbed after the check: the race curator-test loses. */
    private static final class TakenFirst implements Ports {
        private final Ports real = Ports.loopback();
        private final int taken;
        private final AtomicInteger calls = new AtomicInteger();

        TakenFirst(int taken) {
            this.taken = taken;
        }

        @Override
        public int allocate() {
            // the 2nd port handed out is node 1's election port
            return calls.incrementAndGet() == 2 ? taken : real.allocate();
        }

        @Override
        public void release(int port) {
            if (port != taken) {
                real.release(port);
            }
        }
    }

    @Test
    void aTakenElectionPortIsDetectedAndTheStartRetriedWithoutExitingTheJvm() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int taken = squatter.getLocalPort();
            try (ZkEnsemble zk = ZkEnsemble.builder()
                            .voters(3)
                            .ports(new TakenFirst(taken))
                            .build()
                            .start();
                    ZooKeeper client = Clients.connect(zk.connectString())) {
                Clients.create(client, "/started-anyway", "");
                for (ZkNode node : zk.nodes()) {
                    assertNotEquals(taken, node.status().electionPort());
                    assertNotEquals(taken, node.status().quorumPort());
                }
            }
        }
        assertEquals(List.of(), JvmGlobals.unattributedExitRequests());
    }

    @Test
    void ensemblesStartingConcurrentlyNeverCollide() throws Exception {
        int parallel = 4;
        int rounds = 8;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < parallel; t++) {
                results.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                                ZooKeeper client = Clients.connect(zk.connectString())) {
                            Clients.create(client, "/round-" + r, "");
                        }
                    }
                    return rounds;
                }));
            }
            int done = 0;
            for (Future<Integer> f : results) {
                done += f.get(5, TimeUnit.MINUTES);
            }
            assertEquals(parallel * rounds, done);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(JvmGlobals.unattributedExitRequests().isEmpty());
    }
}
