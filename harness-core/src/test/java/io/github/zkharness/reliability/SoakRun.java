package io.github.zkharness.reliability;

import static org.awaitility.Awaitility.await;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.network.Fault;
import io.github.zkharness.network.ZkNetwork;
import io.github.zkharness.reliability.SoakSchedule.Kind;
import io.github.zkharness.reliability.SoakSchedule.Step;
import io.github.zkharness.reliability.SoakSchedule.Who;
import io.github.zkharness.testkit.Bounded;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a {@link SoakSchedule} against an ensemble, every harness call bounded by {@link Bounded}. Each step
 * ends as done, skipped (a documented refusal, e.g. no leader to isolate, or the safety rules forbid it now) or
 * a problem (anything else the harness threw, or an ensemble that did not recover); problems fail the soak at
 * the end. A harness call that does not return in time fails it at once ({@link Bounded.HungCall}).
 */
final class SoakRun {

    private static final Duration FAULT_CALL = Duration.ofSeconds(15);
    private static final Duration NODE_CALL = Duration.ofSeconds(45);
    private static final Duration START_CALL = Duration.ofSeconds(75);
    private static final Duration INSPECT = Duration.ofSeconds(5);
    static final Duration RECOVERY = Duration.ofSeconds(60);

    private final ZkEnsemble zk;
    private final Bounded bounded;
    private final SoakWorkload workload;
    private final PrintWriter log;
    private final long startNanos = System.nanoTime();
    private final List<Integer> down = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<Kind, int[]> outcomes = new EnumMap<>(Kind.class); // done, skipped, problem
    private int recoveries;

    SoakRun(ZkEnsemble zk, Bounded bounded, SoakWorkload workload, PrintWriter log) {
        this.zk = zk;
        this.bounded = bounded;
        this.workload = workload;
        this.log = log;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    Map<Kind, int[]> outcomes() {
        return outcomes;
    }

    int recoveries() {
        return recoveries;
    }

    /** Runs one step, then holds it for its hold time while checking that nothing asked the JVM to exit. */
    void run(Step step) {
        String outcome;
        int slot;
        try {
            outcome = execute(step);
            slot = outcome.startsWith("skipped") ? 1 : outcome.startsWith("PROBLEM") ? 2 : 0;
        } catch (Bounded.HungCall hung) {
            record(step, "HUNG: " + hung.getMessage(), 2);
            throw hung;
        } catch (RuntimeException e) {
            outcome = "PROBLEM: " + e;
            problems.add(step + ": " + e);
            slot = 2;
        }
        record(step, outcome, slot);
        long hold = step.holdMillis();
        await("holding " + step).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
            .during(Duration.ofMillis(hold)).atMost(Duration.ofMillis(hold + 10_000))
            .until(() -> JvmGlobals.unattributedExitRequests().isEmpty() && workload.healthy());
    }

    private void record(Step step, String outcome, int slot) {
        outcomes.computeIfAbsent(step.kind(), k -> new int[3])[slot]++;
        log.printf("%8.1f s  %s -> %s%n", (System.nanoTime() - startNanos) / 1e9, step, outcome);
        log.flush();
    }

    private String execute(Step step) {
        ZkNetwork net = zk.network();
        List<Integer> ids = step.ids();
        return switch (step.kind()) {
            case KILL, STOP -> takeDown(step);
            case RESTART -> restartOne(step.pick());
            case WIPE -> wipe(step);
            case PARTITION -> fault("partition " + step.groups(), () -> net.partition(step.groups()));
            case ISOLATE -> fault("isolate(" + ids.get(0) + ")", () -> net.isolate(ids.get(0)));
            case ISOLATE_LEADER -> {
                try {
                    yield fault("isolateLeader()", net::isolateLeader);
                } catch (IllegalStateException noLeader) {
                    yield "skipped: " + noLeader.getMessage();
                }
            }
            case CUT -> fault("cut(" + ids.get(0) + ", " + ids.get(1) + ")", () -> net.cut(ids.get(0), ids.get(1)));
            case FREEZE -> fault("freeze(" + ids.get(0) + ")", () -> net.freeze(ids.get(0)));
            case STALL -> fault("stall(" + ids.get(0) + ", " + ids.get(1) + ")", () -> net.stall(ids.get(0), ids.get(1)));
            case RESET -> fault("reset(" + ids.get(0) + ", " + ids.get(1) + ")", () -> net.reset(ids.get(0), ids.get(1)));
            case LATENCY -> fault("latency(" + ids + ")", () -> net.latency(ids.get(0), ids.get(1),
                Duration.ofMillis(step.a()), Duration.ofMillis(step.b())));
            case LATENCY_NODE -> fault("latency(" + ids.get(0) + ")", () -> net.latency(ids.get(0),
                Duration.ofMillis(step.a()), Duration.ofMillis(step.b())));
            case BANDWIDTH -> fault("bandwidth(" + ids + ")", () -> net.bandwidth(ids.get(0), ids.get(1), step.a()));
            case CUT_CLIENTS -> fault("cutClients(" + ids.get(0) + ")", () -> net.cutClients(ids.get(0)));
            case EXPIRE_SESSION, DROP_CONNECTION -> session(step);
            case HEAL_ONE -> {
                List<Fault> faults = bounded.call("network().faults()", INSPECT, net::faults);
                if (faults.isEmpty()) {
                    yield "skipped: no fault in force";
                }
                Fault f = faults.get(step.pick() % faults.size());
                bounded.run("fault.heal() of " + f.description(), FAULT_CALL, f::heal);
                yield "healed " + f.description();
            }
            case HEAL_ALL -> {
                int n = bounded.call("network().faults()", INSPECT, net::faults).size();
                bounded.run("network().healAll()", FAULT_CALL, net::healAll);
                yield "healed " + n;
            }
            case RECOVER -> recover(RECOVERY);
        };
    }

    private String fault(String call, java.util.function.Supplier<Fault> add) {
        Fault f = bounded.call("network()." + call, FAULT_CALL, add::get);
        return "added " + f.description();
    }

    private String takeDown(Step step) {
        ZkNode target;
        if (step.who() == Who.OBSERVER) {
            target = zk.node(SoakSchedule.OBSERVER_ID);
            if (state(target) != NodeState.RUNNING) {
                return "skipped: the observer is down already";
            }
        } else {
            if (votersDown() >= SoakSchedule.MAX_VOTERS_DOWN) {
                return "skipped: " + votersDown() + " voters are down already (minority rule)";
            }
            if (step.who() == Who.LEADER) {
                Optional<ZkNode> leader = bounded.call("zk.findLeader()", INSPECT, zk::findLeader);
                if (leader.isEmpty()) {
                    return "skipped: no node leads now";
                }
                target = leader.get();
            } else {
                List<ZkNode> running = bounded.call("zk.voters()", INSPECT, zk::voters).stream()
                    .filter(n -> n.state() == NodeState.RUNNING).toList();
                target = running.get(step.pick() % running.size());
            }
        }
        ZkNode node = target;
        String was = String.valueOf(node.role());
        if (step.kind() == Kind.KILL) {
            bounded.run("node(" + node.id() + ").kill()", NODE_CALL, node::kill);
        } else {
            bounded.run("node(" + node.id() + ").stop()", NODE_CALL, node::stop);
        }
        down.add(node.id());
        return (step.kind() == Kind.KILL ? "killed " : "stopped ") + node.id() + " (was " + was + ")";
    }

    private NodeState state(ZkNode node) {
        return bounded.call("node(" + node.id() + ").state()", INSPECT, node::state);
    }

    private long votersDown() {
        return down.stream().filter(id -> id != SoakSchedule.OBSERVER_ID).count();
    }

    private String restartOne(int pick) {
        if (down.isEmpty()) {
            return "skipped: no node is down";
        }
        int id = down.get(pick % down.size());
        return restart(id);
    }

    private String restart(int id) {
        ZkNode node = zk.node(id);
        try {
            bounded.run("node(" + id + ").restart()", START_CALL, node::restart);
        } catch (ZkStartException e) {
            // e.g. another process took one of its ports while it was down: it stays down, to be retried
            return "skipped: restart refused: " + e.getMessage();
        }
        down.remove(Integer.valueOf(id));
        return "restarted " + id;
    }

    private String wipe(Step step) {
        ZkNode target;
        if (step.who() == Who.OBSERVER) {
            target = zk.node(SoakSchedule.OBSERVER_ID);
        } else {
            if (!down.isEmpty()) {
                return "skipped: nodes " + down + " are down; a voter is wiped only when all run";
            }
            List<Fault> faults = bounded.call("network().faults()", INSPECT, zk.network()::faults);
            if (!faults.isEmpty()) {
                return "skipped: faults in force; a voter is wiped only on a healthy network";
            }
            try {
                bounded.run("zk.awaitServing(10 s)", Duration.ofSeconds(25), () -> zk.awaitServing(Duration.ofSeconds(10)));
            } catch (ZkTimeoutException e) {
                return "skipped: the ensemble does not serve; a voter is wiped only when all serve";
            }
            List<ZkNode> voters = bounded.call("zk.voters()", INSPECT, zk::voters);
            target = voters.get(step.pick() % voters.size());
        }
        ZkNode node = target;
        String was = String.valueOf(node.role());
        bounded.run("node(" + node.id() + ").wipe()", START_CALL, node::wipe);
        down.remove(Integer.valueOf(node.id()));
        if (node.isVoter()) {
            // the safety rule: nothing else happens until the wiped voter has its data back
            bounded.run("node(" + node.id() + ").awaitServing(60 s)", START_CALL,
                () -> node.awaitServing(Duration.ofSeconds(60)));
        }
        return "wiped " + node.id() + " (was " + was + ")";
    }

    private String session(Step step) {
        int writer = step.pick() % SoakSchedule.WRITERS;
        long session = workload.sessionId(writer);
        if (session == 0) {
            return "skipped: writer " + writer + " has no session now";
        }
        String hex = "0x" + Long.toHexString(session);
        try {
            if (step.kind() == Kind.EXPIRE_SESSION) {
                bounded.run("network().expireSession(" + hex + ")", FAULT_CALL, () -> zk.network().expireSession(session));
                return "expired " + hex;
            }
            bounded.run("network().dropClientConnection(" + hex + ")", FAULT_CALL,
                () -> zk.network().dropClientConnection(session));
            return "dropped the connection of " + hex;
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return "skipped: " + refused.getMessage();
        }
    }

    /**
     * Heals every fault, restarts every down node and waits until every node serves. Not serving within
     * {@code timeout} is a problem (recorded, and the soak goes on).
     */
    String recover(Duration timeout) {
        recoveries++;
        bounded.run("network().healAll()", FAULT_CALL, zk.network()::healAll);
        List<String> refused = new ArrayList<>();
        for (Integer id : List.copyOf(down)) {
            String r = restart(id);
            if (r.startsWith("skipped")) {
                refused.add(r);
            }
        }
        if (!refused.isEmpty()) {
            problems.add("recovery could not restart every node: " + refused);
        }
        try {
            bounded.run("zk.awaitServing(" + timeout.toSeconds() + " s)", timeout.plusSeconds(15),
                () -> zk.awaitServing(timeout));
        } catch (ZkTimeoutException e) {
            problems.add("the ensemble did not serve again within " + timeout.toSeconds() + " s of healing: "
                + e.getMessage());
            return "PROBLEM: not serving after heal: " + e.getMessage();
        }
        return "serving again: " + zk.describe();
    }
}
