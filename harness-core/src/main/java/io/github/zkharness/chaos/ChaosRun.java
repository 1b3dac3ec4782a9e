package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.chaos.ChaosStep.Status;
import io.github.zkharness.history.History;
import io.github.zkharness.network.Fault;
import io.github.zkharness.network.Rate;
import io.github.zkharness.network.ZkNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChaosSchedule} running in the background, on a thread of its own ({@code zk-chaos-SEED}). Close it to stop:
 * {@link #close()} stops drawing, undoes every step still held (heals its faults, restarts the nodes it took down),
 * restarts any other node the run took down, and waits until every node serves. What ran stays readable:
 * {@link #steps()}.
 *
 * <p>Failures name the seed and the replay ({@link #replay()}): {@code close()} throws {@link ChaosException} when a
 * step {@link ChaosStep.Status#FAILED failed} (the harness threw what it does not document, or a recovery timed out),
 * when a step listener threw, when the ensemble does not serve again within the recovery timeout, or when the run's
 * thread does not stop within two minutes.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ChaosRun implements AutoCloseable {

    /** The kind of the event that records the seed and replay in the history ({@link ChaosSchedule#history}). */
    public static final String SEED_EVENT = "chaos-seed";
    /** The source of the run's events in the history. */
    public static final String SOURCE = "chaos";

    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WIPE_PRECHECK = Duration.ofSeconds(10);
    private static final Pattern SESSION_ID = Pattern.compile("sid=0x([0-9a-fA-F]+)");

    /** A held step in force: how to undo it, when. */
    private static final class Active {
        final int index;
        final long endNanos;
        final String description;
        final Fault fault; // a network fault, or null
        final ZkNode downNode; // a node to restart, or null
        final Integer cutNode; // a node isolated or frozen: a voter counts as down

        Active(int index, long endNanos, String description, Fault fault, ZkNode downNode, Integer cutNode) {
            this.index = index;
            this.endNanos = endNanos;
            this.description = description;
            this.fault = fault;
            this.downNode = downNode;
            this.cutNode = cutNode;
        }
    }

    private final ZkEnsemble zk;
    private final long seed;
    private final String replay;
    private final Planner planner;
    private final int maxVotersDown;
    private final int maxInForce;
    private final Duration recoveryTimeout;
    private final Duration duration;
    private final History history;
    private final Supplier<? extends Collection<Long>> sessions;
    private final List<Consumer<ChaosStep>> listeners;
    private final long startNanos = System.nanoTime();
    private final List<ChaosStep> steps = new CopyOnWriteArrayList<>();
    private final List<Active> active = new ArrayList<>(); // the runner's, then close()'s after the runner ended
    private final Set<Integer> downByRun = ConcurrentHashMap.newKeySet();
    private final Set<Integer> frozen = ConcurrentHashMap.newKeySet();
    private final Set<Integer> cutOff = ConcurrentHashMap.newKeySet();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private final Thread runner;
    private final RoleRecorder roles;
    private volatile boolean stopping;
    private volatile boolean closed;
    private volatile String current = "starting";
    /** Each node's last recorded role: the role watcher's, and close()'s after it ended. */
    private ChaosRun(ZkEnsemble zk, ChaosSchedule schedule, long seed, Planner planner) {
        this.zk = zk;
        this.seed = seed;
        this.replay = schedule.replayCall(seed) + " on " + zk.voters().size() + " voters and "
                + zk.observers().size() + " observers, or run the test again with -D" + ChaosSchedule.SEED_PROPERTY
                + "=" + seed;
        this.planner = planner;
        this.maxVotersDown = schedule.maxVotersDownOrDefault();
        this.maxInForce = schedule.maxFaultsInForce();
        this.recoveryTimeout = schedule.recoveryTimeout();
        this.duration = schedule.duration();
        this.history = schedule.history();
        this.sessions = schedule.sessions();
        this.listeners = schedule.listeners();
        this.runner = new Thread(this::run, "zk-chaos-" + seed);
        this.runner.setDaemon(true);
        this.roles =
                history == null ? null : new RoleRecorder(zk, history, frozen, seed, () -> !closed || runner.isAlive());
    }

    static ChaosRun start(ZkEnsemble zk, ChaosSchedule schedule, long seed, Planner planner) {
        ChaosRun run = new ChaosRun(zk, schedule, seed, planner);
        LOG.info("chaos run on {} with seed {}; replay: {}", zk.name(), seed, run.replay);
        if (run.history != null) {
            run.history.event(SOURCE, SEED_EVENT, "seed " + seed + "; replay: " + run.replay);
        }
        if (run.roles != null) {
            run.roles.start();
        }
        run.runner.start();
        return run;
    }

    // ---------------------------------------------------------------------------------------------- public

    /**
     * The seed this run drew its steps from.
     *
     * @return the seed this run drew its steps from
     */
    public long seed() {
        return seed;
    }

    /**
     * How to replay this run: the Java call with its seed and options, the ensemble's shape, and the system property,
     * e.g. {@code zk.chaos().seed(42L).kinds(ChaosKind.KILL).start() on 3 voters and 0 observers, or run the test
     * again with -Dzkharness.chaos.seed=42}.
     *
     * @return the replay instructions
     */
    public String replay() {
        return replay;
    }

    /**
     * Every step so far, in order, each as far as it got; after {@link #close()}, every step that ran.
     *
     * @return every step so far, in order, each as far as it got; after {@link #close()}, every step that ran
     */
    public List<ChaosStep> steps() {
        return List.copyOf(steps);
    }

    /**
     * The steps that failed so far (see {@link ChaosStep.Status#FAILED}).
     *
     * @return the steps that failed so far (see {@link ChaosStep.Status#FAILED})
     */
    public List<ChaosStep> failures() {
        return steps.stream().filter(s -> s.status() == Status.FAILED).toList();
    }

    /**
     * Whether the run still draws steps (not closed, its {@link ChaosSchedule#duration} not over).
     *
     * @return whether the run still draws steps (not closed, its {@link ChaosSchedule#duration} not over)
     */
    public boolean isDrawing() {
        return runner.isAlive() && !stopping;
    }

    /**
     * One line: the seed, how many steps by status and by kind done, and the replay.
     *
     * @return one line: the seed, how many steps by status and by kind done, and the replay
     */
    public String summary() {
        Map<Status, Long> byStatus = new EnumMap<>(Status.class);
        Map<ChaosKind, Long> done = new EnumMap<>(ChaosKind.class);
        for (ChaosStep s : steps) {
            byStatus.merge(s.status(), 1L, Long::sum);
            if (s.status() == Status.DONE || s.status() == Status.HELD) {
                done.merge(s.kind(), 1L, Long::sum);
            }
        }
        return "chaos seed " + seed + ": " + steps.size() + " steps " + byStatus + ", applied by kind " + done
                + "; replay: " + replay;
    }

    /**
     * Stops drawing, undoes every held step, restarts every node the run took down, and waits until every node
     * serves (within the schedule's recovery timeout). Idempotent.
     *
     * @throws ChaosException naming the seed and replay, if a step failed or a listener threw, if the ensemble does
     *     not serve again in time, or if the run's thread does not stop within two minutes
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            runner.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosException(
                    "interrupted while stopping the chaos run (seed " + seed + "); replay: " + replay, e);
        }
        if (runner.isAlive()) {
            String stack = Arrays.stream(runner.getStackTrace())
                    .limit(25)
                    .map(f -> "\n    at " + f)
                    .collect(Collectors.joining());
            stopRoles();
            throw new ChaosException(
                    "the chaos run (seed " + seed + ") did not stop within " + STOP_TIMEOUT.toSeconds()
                            + " s; it is in: " + current + "; nodes: " + zk.describe() + "; replay: " + replay
                            + "; its thread:"
                            + stack,
                    null);
        }
        ChaosException failure = null;
        try {
            recover("close");
            current = "awaiting every node serving";
            zk.awaitServing(recoveryTimeout);
        } catch (RuntimeException e) {
            failure = new ChaosException(
                    "the ensemble did not serve again after the chaos run (seed " + seed + ") was healed: "
                            + e.getMessage() + "; replay: " + replay,
                    e);
        } finally {
            stopRoles();
        }
        if (failure != null) {
            throw failure;
        }
        List<ChaosStep> failed = failures();
        if (!failed.isEmpty() || !problems.isEmpty()) {
            List<String> lines = new ArrayList<>(problems);
            failed.forEach(s -> lines.add(s.toString()));
            throw new ChaosException(
                    "the chaos run (seed " + seed + ") had " + lines.size() + " problems:\n  "
                            + String.join("\n  ", lines) + "\nreplay: " + replay,
                    null);
        }
    }

    @Override
    public String toString() {
        return summary();
    }

    // ---------------------------------------------------------------------------------------------- the runner

    private void run() {
        Duration pauseBefore = Duration.ZERO;
        try {
            while (!stopRequested()) {
                current = "waiting for a free slot";
                while (active.size() >= maxInForce && !stopRequested()) {
                    waitUntil(active.stream().mapToLong(a -> a.endNanos).min().orElse(System.nanoTime()));
                }
                current = "pausing";
                long pauseEnd = System.nanoTime() + pauseBefore.toNanos();
                // a pause never outlasts the run's duration
                waitUntil(duration == null ? pauseEnd : Math.min(pauseEnd, startNanos + duration.toNanos()));
                if (stopRequested() || !planner.canDraw()) {
                    break;
                }
                PlannedStep step = planner.next();
                current = step.describe();
                apply(step);
                pauseBefore = step.pause();
            }
            // the duration is over: let the held steps run their course, unless closed
            current = "undoing held steps as they end";
            while (!active.isEmpty() && !stopping) {
                waitUntil(active.stream().mapToLong(a -> a.endNanos).min().orElse(System.nanoTime()));
            }
        } catch (RuntimeException | Error e) {
            problems.add("the chaos thread died in " + current + ": " + e);
            LOG.error("chaos run (seed {}) died in {}", seed, current, e);
        }
        current = "stopped";
    }

    private boolean stopRequested() {
        return stopping || duration != null && System.nanoTime() - startNanos >= duration.toNanos();
    }

    /** Undoes the steps whose time is up, then waits until {@code deadline}, a step's end or a stop. */
    private void waitUntil(long deadline) {
        while (true) {
            endDue();
            long now = System.nanoTime();
            long next = deadline;
            for (Active a : active) {
                next = Math.min(next, a.endNanos);
            }
            if (stopping || now >= deadline) {
                return;
            }
            long waitMillis = Math.max(1, (next - now + 999_999) / 1_000_000);
            synchronized (signal) {
                if (stopping) {
                    return;
                }
                try {
                    signal.wait(waitMillis);
                } catch (InterruptedException e) {
                    stopping = true;
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void endDue() {
        long now = System.nanoTime();
        for (Active a : List.copyOf(active)) {
            if (a.endNanos <= now) {
                undo(a, "held " + (a.endNanos - startOf(a)) / 1_000_000 + " ms");
            }
        }
    }

    private long startOf(Active a) {
        ChaosStep s = steps.get(a.index - 1);
        return startNanos + s.started().toNanos();
    }

    /** Undoes a held step and records it as done. */
    private void undo(Active a, String how) {
        active.remove(a);
        ChaosStep step = steps.get(a.index - 1);
        String detail = step.detail();
        try {
            if (a.fault != null) {
                current = "healing " + a.fault.description();
                a.fault.heal();
                detail += "; healed";
            } else if (a.downNode != null) {
                current = "restarting node " + a.downNode.id();
                detail += restart(a.downNode);
            }
        } catch (RuntimeException e) {
            detail += "; undoing it threw " + e;
            update(step, Status.FAILED, detail);
            endFault(a.description);
            return;
        } finally {
            if (a.cutNode != null) {
                frozen.remove(a.cutNode);
                cutOff.remove(a.cutNode);
            }
        }
        if (a.cutNode != null && downByRun.contains(a.cutNode)) {
            ZkNode node = zk.node(a.cutNode); // a full disk may have made ZooKeeper ask to exit: the node crashed
            detail += restart(node);
        }
        update(step, Status.DONE, detail + " (" + how + ")");
        endFault(a.description);
    }

    /** Restarts a node the run took down; a refusal (a port taken meanwhile) leaves it for the next recovery. */
    private String restart(ZkNode node) {
        if (node.state() == NodeState.RUNNING || node.state() == NodeState.REMOVED) {
            downByRun.remove(node.id());
            return "; node " + node.id() + " is " + node.state() + " already";
        }
        try {
            node.restart();
            downByRun.remove(node.id());
            return "; restarted node " + node.id();
        } catch (ZkStartException e) {
            return "; restart of node " + node.id() + " refused (retried at the next recovery): " + e.getMessage();
        }
    }

    /** Heals everything the run holds and restarts every node it took down. */
    private void recover(String why) {
        current = "recovering (" + why + ")";
        for (Active a : List.copyOf(active)) {
            undo(a, "ended by " + why);
        }
        for (Integer id : new TreeSet<>(downByRun)) {
            ZkNode node = zk.node(id);
            if (node.state() != NodeState.RUNNING && node.state() != NodeState.REMOVED) {
                node.restart();
            }
            downByRun.remove(id);
        }
    }

    // ---------------------------------------------------------------------------------------------- applying steps

    private void apply(PlannedStep p) {
        Duration started = since(System.nanoTime());
        ChaosStep step = new ChaosStep(p, p.target(), started, null, Status.HELD, "starting");
        steps.add(step);
        try {
            String outcome = execute(p, step);
            if (outcome != null) { // a one-shot step, or a skip
                boolean skipped = outcome.startsWith("skipped: ");
                ChaosStep now = steps.get(p.index() - 1);
                update(now, skipped ? Status.SKIPPED : Status.DONE, skipped ? outcome.substring(9) : outcome);
            }
        } catch (IllegalStateException | IllegalArgumentException refused) {
            // the harness's documented refusals: no leader, a node down, an unknown session, ...
            update(steps.get(p.index() - 1), Status.SKIPPED, "refused: " + refused.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("chaos step {} failed (seed {})", p.describe(), seed, e);
            update(steps.get(p.index() - 1), Status.FAILED, "threw " + e);
        }
    }

    /**
     * Runs one step. Returns null for a held step now in force (recorded as HELD), otherwise what happened, starting
     * with "skipped: " for a skip.
     */
    private String execute(PlannedStep p, ChaosStep step) {
        ZkNetwork net = zk.network();
        List<Integer> ids = p.nodes();
        return switch (p.kind()) {
            case KILL, STOP -> {
                ZkNode node = target(p);
                if (node == null) {
                    yield "skipped: no node leads now";
                }
                String refusal = refuseDown(node);
                if (refusal != null) {
                    yield "skipped: " + refusal;
                }
                String what = (p.kind() == ChaosKind.KILL ? "kill" : "stop") + " node " + node.id();
                String target = "node " + node.id() + " (was " + node.role() + ")";
                startFault(what);
                downByRun.add(node.id());
                if (p.kind() == ChaosKind.KILL) {
                    node.kill();
                } else {
                    node.stop();
                }
                hold(p, step, target, what, null, node, null);
                yield null;
            }
            case RESTART -> {
                ZkNode node = target(p);
                if (node == null) {
                    yield "skipped: no node leads now";
                }
                String refusal = refuseDown(node);
                if (refusal != null) {
                    yield "skipped: " + refusal;
                }
                retarget(step, "node " + node.id() + " (was " + node.role() + ")");
                String what = "restart node " + node.id();
                startFault(what);
                try {
                    downByRun.add(node.id());
                    node.stop();
                    yield "stopped and" + restart(node).substring(1);
                } finally {
                    endFault(what);
                }
            }
            case WIPE -> wipe(p, step);
            case PARTITION -> {
                Fault f = net.partition(p.groups());
                held(p, step, p.target(), f, null);
                yield null;
            }
            case ISOLATE, FREEZE -> {
                ZkNode node = zk.node(ids.get(0));
                if (node.state() != NodeState.RUNNING) {
                    yield "skipped: node " + node.id() + " is " + node.state();
                }
                String refusal = refuseDown(node);
                if (refusal != null) {
                    yield "skipped: " + refusal;
                }
                String target = "node " + node.id() + " (was " + node.role() + ")";
                Fault f = p.kind() == ChaosKind.ISOLATE ? net.isolate(node) : net.freeze(node);
                if (p.kind() == ChaosKind.FREEZE) {
                    frozen.add(node.id());
                }
                cutOff.add(node.id());
                held(p, step, target, f, node.id());
                yield null;
            }
            case ISOLATE_LEADER -> {
                Optional<ZkNode> leader = zk.findLeader();
                if (leader.isEmpty()) {
                    yield "skipped: no node leads now";
                }
                String refusal = refuseDown(leader.get());
                if (refusal != null) {
                    yield "skipped: " + refusal;
                }
                Fault f = net.isolate(leader.get());
                cutOff.add(leader.get().id());
                held(
                        p,
                        step,
                        "node " + leader.get().id() + " (leader)",
                        f,
                        leader.get().id());
                yield null;
            }
            case CUT -> {
                held(p, step, p.target(), net.cut(ids.get(0), ids.get(1)), null);
                yield null;
            }
            case STALL -> {
                held(p, step, p.target(), net.stall(ids.get(0), ids.get(1)), null);
                yield null;
            }
            case RESET -> {
                held(p, step, p.target(), net.reset(ids.get(0), ids.get(1)), null);
                yield null;
            }
            case LATENCY -> {
                held(p, step, p.target(), net.latency(zk.node(ids.get(0)), p.latency(), p.jitter()), null);
                yield null;
            }
            case BANDWIDTH -> {
                held(
                        p,
                        step,
                        p.target(),
                        net.bandwidth(
                                zk.node(ids.get(0)), zk.node(ids.get(1)), Rate.bytesPerSecond(p.bytesPerSecond())),
                        null);
                yield null;
            }
            case CUT_CLIENTS -> {
                held(p, step, p.target(), net.cutClients(ids.get(0)), null);
                yield null;
            }
            case EXPIRE_SESSION, DROP_CONNECTION -> session(p, step);
            case SLOW_LOG -> {
                ZkNode node = zk.node(ids.get(0));
                held(p, step, p.target(), node.disk().slowLog(p.latency(), p.jitter()), null);
                yield null;
            }
            case FULL_LOG -> {
                ZkNode node = zk.node(ids.get(0));
                if (node.state() != NodeState.RUNNING) {
                    yield "skipped: node " + node.id() + " is " + node.state();
                }
                String refusal = refuseDown(node);
                if (refusal != null) {
                    yield "skipped: " + refusal;
                }
                Fault f = node.disk().fullLog();
                cutOff.add(node.id());
                downByRun.add(node.id()); // restarted at the end if ZooKeeper asked to exit over the full disk
                held(p, step, "node " + node.id() + " (was " + node.role() + ")", f, node.id());
                yield null;
            }
            case MEMBERSHIP -> membership();
            case RECOVER -> {
                recover("step #" + p.index());
                current = "awaiting every node serving";
                zk.awaitServing(recoveryTimeout);
                yield "every node serves: " + zk.describe();
            }
        };
    }

    /** The node a node-control step targets now: the leader (null if none) or its drawn node. */
    private ZkNode target(PlannedStep p) {
        if (p.leader()) {
            return zk.findLeader().orElse(null);
        }
        return zk.node(p.nodes().get(0));
    }

    /** Why taking {@code node} down (or cutting it off) is not allowed now, or null. */
    private String refuseDown(ZkNode node) {
        if (node.state() != NodeState.RUNNING) {
            return "node " + node.id() + " is " + node.state() + " already";
        }
        if (cutOff.contains(node.id())) {
            return "node " + node.id() + " is cut off by this run already";
        }
        if (node.isVoter()) {
            Set<Integer> down = votersDown();
            if (down.size() + 1 > maxVotersDown) {
                return "voters " + down + " are down or cut off and at most " + maxVotersDown + " may be";
            }
        }
        return null;
    }

    /** Voters not running, or isolated or frozen by this run. */
    private Set<Integer> votersDown() {
        Set<Integer> down = new TreeSet<>();
        for (ZkNode v : zk.voters()) {
            if (v.state() != NodeState.RUNNING) {
                down.add(v.id());
            }
        }
        for (Active a : active) {
            if (a.cutNode != null && zk.node(a.cutNode).isVoter()) {
                down.add(a.cutNode);
            }
        }
        return down;
    }

    private String wipe(PlannedStep p, ChaosStep step) {
        ZkNode node = target(p);
        if (node == null) {
            return "skipped: no node leads now";
        }
        String refusal = wipeRefusal(node);
        if (refusal != null) {
            return "skipped: " + refusal;
        }
        retarget(step, "node " + node.id() + " (was " + node.role() + ")");
        String what = "wipe node " + node.id();
        startFault(what);
        try {
            downByRun.add(node.id());
            node.wipe();
            downByRun.remove(node.id());
            current = "awaiting wiped node " + node.id() + " serving";
            node.awaitServing(recoveryTimeout); // nothing else happens until it has its data back
        } finally {
            endFault(what);
        }
        return "wiped node " + node.id() + "; it serves again";
    }

    /** Adds an observer and removes it again, on a healthy ensemble only. */
    private String membership() {
        List<Integer> notRunning = nodesNotRunning();
        if (!active.isEmpty() || !notRunning.isEmpty()) {
            return "skipped: membership changes run only when every node runs and no fault is in force; "
                    + active.size() + " faults in force, nodes " + notRunning + " down";
        }
        String what = "add an observer and remove it";
        startFault(what);
        try {
            ZkNode added = zk.addObserver();
            zk.remove(added);
            return "added observer " + added.id() + " and removed it";
        } finally {
            endFault(what);
        }
    }

    /**
     * Why wiping {@code node} is not allowed now, or null. The same rules for voters and observers: the run waits
     * until the wiped node has resynced, which it cannot do while a fault of the run (held by this very thread)
     * keeps it or the quorum apart; and ZooKeeper assumes disks survive, so a voter wiped into a quorum without the
     * newest writes loses acknowledged writes (its contract, not a bug).
     */
    private String wipeRefusal(ZkNode node) {
        List<String> reasons = new ArrayList<>();
        if (!active.isEmpty()) {
            reasons.add(active.size() + " faults of this run are in force");
        }
        List<Integer> notRunning = nodesNotRunning();
        if (!notRunning.isEmpty()) {
            reasons.add("nodes " + notRunning + " are down");
        }
        if (!reasons.isEmpty()) {
            return "a node is wiped only when every node runs and no fault is in force; " + String.join(", ", reasons);
        }
        if (node.isVoter() && maxVotersDown < 1) {
            return "maxVotersDown is 0";
        }
        try {
            zk.awaitServing(WIPE_PRECHECK);
        } catch (RuntimeException e) {
            return "a node is wiped only when the ensemble serves; it did not within " + WIPE_PRECHECK.toSeconds()
                    + " s";
        }
        return null;
    }

    /** The ids of the nodes that do not run now. */
    private List<Integer> nodesNotRunning() {
        return zk.nodes().stream()
                .filter(n -> n.state() != NodeState.RUNNING)
                .map(ZkNode::id)
                .toList();
    }

    private String session(PlannedStep p, ChaosStep step) {
        List<Long> ids = new ArrayList<>();
        if (sessions != null) {
            Collection<Long> given = sessions.get();
            if (given != null) {
                given.stream().filter(id -> id != null && id != 0).forEach(ids::add);
            }
        } else {
            Set<Long> seen = new LinkedHashSet<>();
            for (ZkNode n : zk.nodes()) {
                if (n.state() == NodeState.RUNNING && !frozen.contains(n.id())) {
                    try {
                        Matcher m = SESSION_ID.matcher(n.fourLetterWord("cons"));
                        while (m.find()) {
                            long id = Long.parseUnsignedLong(m.group(1), 16);
                            if (id != 0) {
                                seen.add(id);
                            }
                        }
                    } catch (RuntimeException e) {
                        // a node that does not answer now has no session to offer
                    }
                }
            }
            ids.addAll(new TreeSet<>(seen));
        }
        if (ids.isEmpty()) {
            return "skipped: no session to pick" + (sessions == null ? " (no server reports one)" : "");
        }
        long id = ids.get(p.pick() % ids.size());
        String hex = "0x" + Long.toHexString(id);
        retarget(step, "session " + hex);
        String what = (p.kind() == ChaosKind.EXPIRE_SESSION ? "expire session " : "drop the connection of ") + hex;
        startFault(what);
        try {
            if (p.kind() == ChaosKind.EXPIRE_SESSION) {
                zk.expireSession(id);
                return "expired session " + hex;
            }
            zk.dropClientConnection(id);
            return "dropped the connection of session " + hex;
        } finally {
            endFault(what);
        }
    }

    /** Records a network fault as held until its hold time is up. */
    private void held(PlannedStep p, ChaosStep step, String target, Fault fault, Integer cutNode) {
        startFault(fault.description());
        hold(p, step, target, fault.description(), fault, null, cutNode);
    }

    private void hold(
            PlannedStep p,
            ChaosStep step,
            String target,
            String description,
            Fault fault,
            ZkNode downNode,
            Integer cutNode) {
        active.add(
                new Active(p.index(), System.nanoTime() + p.hold().toNanos(), description, fault, downNode, cutNode));
        ChaosStep now = new ChaosStep(p, target, step.started(), null, Status.HELD, description);
        steps.set(p.index() - 1, now);
        notifyListeners(now);
    }

    private void retarget(ChaosStep step, String target) {
        steps.set(
                step.index() - 1,
                new ChaosStep(step.planned(), target, step.started(), null, Status.HELD, step.detail()));
    }

    private void update(ChaosStep step, Status status, String detail) {
        ChaosStep now =
                new ChaosStep(step.planned(), step.target(), step.started(), since(System.nanoTime()), status, detail);
        steps.set(step.index() - 1, now);
        notifyListeners(now);
    }

    private void notifyListeners(ChaosStep step) {
        for (Consumer<ChaosStep> l : listeners) {
            try {
                l.accept(step);
            } catch (RuntimeException e) {
                problems.add("the step listener " + l + " threw " + e + " on " + step);
            }
        }
    }

    private void startFault(String description) {
        if (history != null) {
            history.faultStarted(SOURCE, description);
        }
    }

    private void endFault(String description) {
        if (history != null) {
            history.faultEnded(SOURCE, description);
        }
    }

    private Duration since(long nanos) {
        return Duration.ofNanos(nanos - startNanos);
    }

    private void stopRoles() {
        if (roles != null) {
            roles.stop();
        }
    }
}
