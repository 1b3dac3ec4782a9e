package io.github.zkharness.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.ZooKeeperConsistency;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** {@link ZkRegisterClient#renewing}: an expired session is replaced, and the client goes on as a new process. */
class RenewingRegisterTests {

    @Test
    void anExpiredSessionIsReplacedByANewProcessThatSeesWhatTheOldOneWrote() throws Exception {
        History history = new History();
        AtomicInteger processIds = new AtomicInteger(10);
        List<ZooKeeper> opened = new CopyOnWriteArrayList<>();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            try (ZkRegisterClient register = ZkRegisterClient.renewing(
                    () -> {
                        ZooKeeper client = zk.newZooKeeper();
                        opened.add(client);
                        return client;
                    },
                    processIds::incrementAndGet,
                    history,
                    "/renewing")) {
                assertThat(register.process()).isEqualTo(11);
                assertThat(register.write("k", "1").outcome()).isEqualTo(Outcome.OK);

                zk.expireSession(register.sessionId());
                zk.await(
                        "the client to learn its session expired",
                        () -> !opened.get(0).getState().isAlive());

                Operation write = register.write("k", "2");
                assertThat(write.outcome()).isEqualTo(Outcome.OK);
                assertThat(write.process()).isEqualTo(12);
                assertThat(register.read("k", true).result()).isEqualTo("2");
                assertThat(register.sessionId()).isNotEqualTo(opened.get(0).getSessionId());
            }
        }
        assertThat(opened)
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.getState().isAlive())
                        .as("closed with the register client")
                        .isFalse());
        assertThat(history.events())
                .filteredOn(e -> e.kind().equals(ZkRegisterClient.SESSION_REPLACED))
                .extracting(Event::describe)
                .singleElement()
                .asString()
                .startsWith("process-11 session-replaced \"by process 12\"");
        assertThat(Linearizability.register().check(history).isValid()).isTrue();
        assertThat(ZooKeeperConsistency.of().check(history).isValid()).isTrue();
    }

    @Test
    void aSessionThatCannotBeReplacedFailsTheCallAndTheNextCallTriesAgain() throws Exception {
        History history = new History();
        AtomicInteger attempts = new AtomicInteger();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            ZooKeeper first = zk.newZooKeeper();
            try (ZkRegisterClient register = ZkRegisterClient.renewing(
                    () -> {
                        if (attempts.incrementAndGet() == 2) {
                            throw new IllegalStateException("no server today");
                        }
                        return attempts.get() == 1 ? first : zk.newZooKeeper();
                    },
                    new AtomicInteger()::incrementAndGet,
                    history,
                    "/r")) {
                first.close(); // no longer alive, as after an expiry
                Operation failed = register.write("k", "1");
                assertThat(failed.outcome()).isEqualTo(Outcome.FAIL);
                assertThat(failed.reason())
                        .isEqualTo("no new session: java.lang.IllegalStateException: no server today");
                assertThat(register.write("k", "2").outcome()).isEqualTo(Outcome.OK);
                assertThat(register.process()).isEqualTo(2);
            }
        }
    }

    @Test
    void nullsAreNamed() {
        assertThatThrownBy(() -> ZkRegisterClient.renewing(null, () -> 1, new History(), "/r"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("sessions must not be null");
        assertThatThrownBy(() -> ZkRegisterClient.renewing(() -> null, null, new History(), "/r"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("processIds must not be null");
        assertThatThrownBy(() -> ZkRegisterClient.renewing(() -> null, () -> 1, new History(), "/r"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("sessions returned null");
    }
}
