package io.github.zkharness.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A randomized but reproducible fault schedule for a 5-voter, 1-observer ensemble: the same seed and length
 * always give the same steps (only {@link java.util.Random}, whose algorithm Java specifies, draws them).
 *
 * <p>Steps name their targets either by id (network faults) or by a rule resolved when the step runs
 * ({@link Who#LEADER}, a running voter chosen by {@code pick}, the observer), because which node leads is only
 * known then. The generator keeps a model of the ensemble so that the schedule is sane:
 * <ul>
 *   <li>kills and stops never take down more than {@value #MAX_VOTERS_DOWN} of the 5 voters at once (a minority;
 *       network faults may cut off more: writes then fail and are not acknowledged, which is allowed);</li>
 *   <li>a voter is wiped only while every node runs and no fault is in force, and the run then waits until the
 *       wiped voter has resynced: ZooKeeper assumes disks survive, and a wiped voter in a quorum that lacks the
 *       nodes holding the latest writes loses acknowledged writes (that is ZooKeeper's contract, not a bug);</li>
 *   <li>at most {@value #MAX_FAULTS} network faults are in force at once;</li>
 *   <li>every 12 to 24 steps a {@link Kind#RECOVER} step heals everything, restarts every stopped node and
 *       checks the ensemble serves again.</li>
 * </ul>
 * The run enforces the same rules again when a step runs (the model cannot know, say, that a kill of the
 * leader found no leader), and skips a step that would break them.
 */
final class SoakSchedule {

    static final int VOTERS = 5;
    static final int OBSERVER_ID = 6;
    static final int NODES = 6;
    static final int WRITERS = 3;
    static final int MAX_VOTERS_DOWN = 2;
    static final int MAX_FAULTS = 3;

    enum Kind {
        KILL, STOP, RESTART, WIPE, PARTITION, ISOLATE, ISOLATE_LEADER, CUT, FREEZE, STALL, RESET, LATENCY,
        LATENCY_NODE, BANDWIDTH, CUT_CLIENTS, EXPIRE_SESSION, DROP_CONNECTION, HEAL_ONE, HEAL_ALL, RECOVER
    }

    /** Whom a node-control step targets. */
    enum Who {
        /** The node that leads when the step runs. */
        LEADER,
        /** The running voter at index {@code pick % count} (by id) when the step runs. */
        VOTER,
        /** The observer, node {@value #OBSERVER_ID}. */
        OBSERVER,
        /** Not a node-control step. */
        NONE
    }

    /** Faults that are added to the network (all but session steps and heals). */
    static final Set<Kind> NETWORK_FAULTS = EnumSet.of(Kind.PARTITION, Kind.ISOLATE, Kind.ISOLATE_LEADER, Kind.CUT,
        Kind.FREEZE, Kind.STALL, Kind.RESET, Kind.LATENCY, Kind.LATENCY_NODE, Kind.BANDWIDTH, Kind.CUT_CLIENTS);

    /**
     * One step.
     *
     * @param ids  node ids for network faults; for {@link Kind#PARTITION}, the group of each node 1..6
     * @param pick a number drawn for choices made when the step runs (which voter, which down node, which fault)
     * @param a    latency base in ms, or bandwidth in bytes per second
     * @param b    latency jitter in ms
     * @param holdMillis how long the run lets the step act, with the workload running, before the next step
     */
    record Step(int index, Kind kind, Who who, List<Integer> ids, int pick, long a, long b, long holdMillis) {

        Step {
            ids = List.copyOf(ids);
        }

        /** Partition groups, for {@link Kind#PARTITION}. */
        List<Set<Integer>> groups() {
            Map<Integer, Set<Integer>> byGroup = new TreeMap<>();
            for (int i = 0; i < ids.size(); i++) {
                byGroup.computeIfAbsent(ids.get(i), g -> new java.util.TreeSet<>()).add(i + 1);
            }
            return List.copyOf(byGroup.values());
        }

        @Override
        public String toString() {
            String what = switch (kind) {
                case KILL, STOP, WIPE -> kind.name().toLowerCase() + " " + who.name().toLowerCase()
                    + (who == Who.VOTER ? " (pick " + pick + ")" : "");
                case RESTART -> "restart a down node (pick " + pick + ")";
                case PARTITION -> "partition " + groups().stream()
                    .map(g -> g.stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .collect(Collectors.joining("|"));
                case ISOLATE, FREEZE, CUT_CLIENTS -> kind.name().toLowerCase() + " " + ids.get(0);
                case ISOLATE_LEADER -> "isolate the leader";
                case CUT -> "cut " + ids.get(0) + "->" + ids.get(1);
                case STALL, RESET -> kind.name().toLowerCase() + " " + ids.get(0) + "<->" + ids.get(1);
                case LATENCY -> "latency " + ids.get(0) + "<->" + ids.get(1) + " " + a + " ms +" + b + " ms";
                case LATENCY_NODE -> "latency around " + ids.get(0) + " " + a + " ms +" + b + " ms";
                case BANDWIDTH -> "bandwidth " + ids.get(0) + "<->" + ids.get(1) + " " + a + " B/s";
                case EXPIRE_SESSION -> "expire the session of writer " + (pick % WRITERS);
                case DROP_CONNECTION -> "drop the connection of writer " + (pick % WRITERS);
                case HEAL_ONE -> "heal one fault (pick " + pick + ")";
                case HEAL_ALL -> "heal all";
                case RECOVER -> "recover: heal all, restart every down node, await serving";
            };
            return "#" + index + " " + what + ", hold " + holdMillis + " ms";
        }
    }

    private final long seed;
    private final Duration length;
    private final List<Step> steps;

    private SoakSchedule(long seed, Duration length, List<Step> steps) {
        this.seed = seed;
        this.length = length;
        this.steps = List.copyOf(steps);
    }

    long seed() {
        return seed;
    }

    Duration length() {
        return length;
    }

    List<Step> steps() {
        return steps;
    }

    /** Steps per kind, for the report. */
    Map<Kind, Long> counts() {
        return steps.stream().collect(Collectors.groupingBy(Step::kind, () -> new EnumMap<>(Kind.class),
            Collectors.counting()));
    }

    /** Draws steps until their hold times add up to {@code length}. */
    static SoakSchedule generate(long seed, Duration length) {
        Random random = new Random(seed);
        Model model = new Model();
        List<Step> steps = new ArrayList<>();
        long planned = 0;
        int untilRecover = 12 + random.nextInt(13);
        while (planned < length.toMillis()) {
            int index = steps.size() + 1;
            Step step;
            if (--untilRecover <= 0) {
                step = new Step(index, Kind.RECOVER, Who.NONE, List.of(), 0, 0, 0, 300 + random.nextInt(700));
                untilRecover = 12 + random.nextInt(13);
            } else {
                step = draw(random, model, index);
            }
            model.apply(step);
            steps.add(step);
            planned += step.holdMillis();
        }
        return new SoakSchedule(seed, length, steps);
    }

    private static Step draw(Random random, Model model, int index) {
        Map<Kind, Integer> weights = new EnumMap<>(Kind.class);
        if (model.votersDown < MAX_VOTERS_DOWN || !model.observerDown) {
            weights.put(Kind.KILL, 10);
            weights.put(Kind.STOP, 3);
        }
        if (!model.down.isEmpty()) {
            weights.put(Kind.RESTART, model.votersDown >= MAX_VOTERS_DOWN ? 20 : 12);
        }
        weights.put(Kind.WIPE, 3);
        if (model.faults.size() < MAX_FAULTS) {
            weights.put(Kind.PARTITION, 4);
            weights.put(Kind.ISOLATE, 4);
            weights.put(Kind.ISOLATE_LEADER, 3);
            weights.put(Kind.CUT, 4);
            weights.put(Kind.FREEZE, 3);
            weights.put(Kind.STALL, 2);
            weights.put(Kind.RESET, 2);
            weights.put(Kind.LATENCY, 3);
            weights.put(Kind.LATENCY_NODE, 2);
            weights.put(Kind.BANDWIDTH, 1);
            weights.put(Kind.CUT_CLIENTS, 2);
        }
        weights.put(Kind.EXPIRE_SESSION, 3);
        weights.put(Kind.DROP_CONNECTION, 2);
        if (!model.faults.isEmpty()) {
            weights.put(Kind.HEAL_ONE, 8);
            weights.put(Kind.HEAL_ALL, 2);
        }
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int r = random.nextInt(total);
        Kind kind = null;
        for (Map.Entry<Kind, Integer> e : weights.entrySet()) {
            r -= e.getValue();
            if (r < 0) {
                kind = e.getKey();
                break;
            }
        }
        int pick = random.nextInt(1_000_000);
        long hold = random.nextInt(100) < 12 ? 2500 + random.nextInt(3500) : 150 + random.nextInt(1350);
        Who who = Who.NONE;
        List<Integer> ids = List.of();
        long a = 0;
        long b = 0;
        switch (kind) {
            case KILL, STOP -> {
                List<Who> allowed = new ArrayList<>();
                if (model.votersDown < MAX_VOTERS_DOWN) {
                    allowed.addAll(List.of(Who.LEADER, Who.LEADER, Who.LEADER, Who.VOTER, Who.VOTER, Who.VOTER, Who.VOTER));
                }
                if (!model.observerDown) {
                    allowed.add(Who.OBSERVER);
                }
                who = allowed.get(random.nextInt(allowed.size()));
            }
            case WIPE -> {
                boolean voterAllowed = model.down.isEmpty() && model.faults.isEmpty();
                who = voterAllowed && random.nextInt(3) > 0 ? Who.VOTER : Who.OBSERVER;
            }
            case PARTITION -> {
                int groups = random.nextInt(5) == 0 ? 3 : 2;
                List<Integer> assignment;
                do {
                    assignment = new ArrayList<>();
                    for (int n = 0; n < NODES; n++) {
                        assignment.add(random.nextInt(groups));
                    }
                } while (assignment.stream().distinct().count() < groups);
                ids = assignment;
            }
            case ISOLATE, FREEZE, CUT_CLIENTS -> ids = List.of(1 + random.nextInt(NODES));
            case LATENCY_NODE -> {
                ids = List.of(1 + random.nextInt(NODES));
                a = 5 + random.nextInt(150);
                b = random.nextInt(50);
            }
            case CUT, STALL, RESET, LATENCY, BANDWIDTH -> {
                int x = 1 + random.nextInt(NODES);
                int y = 1 + random.nextInt(NODES - 1);
                if (y >= x) {
                    y++;
                }
                ids = List.of(x, y);
                if (kind == Kind.LATENCY) {
                    a = 5 + random.nextInt(150);
                    b = random.nextInt(50);
                } else if (kind == Kind.BANDWIDTH) {
                    a = 64 * 1024 + random.nextInt(192 * 1024);
                }
            }
            default -> {
            }
        }
        return new Step(index, kind, who, ids, pick, a, b, hold);
    }

    /** What the generator believes: which nodes are down (in the order they went down) and which faults hold. */
    private static final class Model {
        int votersDown;
        boolean observerDown;
        final List<Who> down = new ArrayList<>();
        final List<Kind> faults = new ArrayList<>();

        void apply(Step step) {
            switch (step.kind()) {
                case KILL, STOP -> {
                    down.add(step.who() == Who.OBSERVER ? Who.OBSERVER : Who.VOTER);
                    if (step.who() == Who.OBSERVER) {
                        observerDown = true;
                    } else {
                        votersDown++;
                    }
                }
                case RESTART -> {
                    Who restarted = down.remove(step.pick() % down.size());
                    if (restarted == Who.OBSERVER) {
                        observerDown = false;
                    } else {
                        votersDown--;
                    }
                }
                case WIPE -> {
                    if (step.who() == Who.OBSERVER && observerDown) {
                        down.remove(Who.OBSERVER); // a wipe starts a down node again, empty
                        observerDown = false;
                    }
                }
                case HEAL_ONE -> faults.remove(step.pick() % faults.size());
                case HEAL_ALL -> faults.clear();
                case RECOVER -> {
                    faults.clear();
                    down.clear();
                    votersDown = 0;
                    observerDown = false;
                }
                default -> {
                    if (NETWORK_FAULTS.contains(step.kind())) {
                        faults.add(step.kind());
                    }
                }
            }
        }
    }
}
