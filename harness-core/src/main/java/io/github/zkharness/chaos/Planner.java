package io.github.zkharness.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Draws planned steps from a seed, one after another, with only {@link Random} (whose algorithm Java specifies) and
 * values that do not depend on timing: the same seed and options give the same steps on any JVM.
 */
final class Planner {

    private final Random random;
    private final List<ChaosKind> kinds;
    private final int[] weights;
    private final int totalWeight;
    private final List<Integer> ids;
    private final Duration holdMin;
    private final Duration holdMax;
    private final Duration pauseMin;
    private final Duration pauseMax;
    private final int recoverMin;
    private final int recoverMax;
    private int untilRecover;
    private int index;

    Planner(
            long seed,
            Map<ChaosKind, Integer> weightsByKind,
            List<Integer> ids,
            Duration holdMin,
            Duration holdMax,
            Duration pauseMin,
            Duration pauseMax,
            int recoverMin,
            int recoverMax) {
        this.random = new Random(seed);
        this.ids = List.copyOf(ids);
        this.kinds = new ArrayList<>();
        List<Integer> w = new ArrayList<>();
        weightsByKind.forEach((kind, weight) -> { // an EnumMap: in the enum's order
            if (weight > 0 && (ids.size() >= 2 || !needsTwo(kind))) {
                kinds.add(kind);
                w.add(weight);
            }
        });
        this.weights = w.stream().mapToInt(Integer::intValue).toArray();
        this.totalWeight = w.stream().mapToInt(Integer::intValue).sum();
        this.holdMin = holdMin;
        this.holdMax = holdMax;
        this.pauseMin = pauseMin;
        this.pauseMax = pauseMax;
        this.recoverMin = recoverMin;
        this.recoverMax = recoverMax;
        this.untilRecover = recoverMin > 0 ? between(recoverMin, recoverMax) : Integer.MAX_VALUE;
    }

    static boolean needsTwo(ChaosKind kind) {
        return kind == ChaosKind.PARTITION
                || kind == ChaosKind.CUT
                || kind == ChaosKind.STALL
                || kind == ChaosKind.DISCONNECT
                || kind == ChaosKind.BANDWIDTH;
    }

    boolean canDraw() {
        return totalWeight > 0 || recoverMin > 0;
    }

    PlannedStep next() {
        index++;
        if (recoverMin > 0 && --untilRecover <= 0) {
            untilRecover = between(recoverMin, recoverMax);
            return new PlannedStep(
                    index,
                    ChaosKind.RECOVER,
                    false,
                    List.of(),
                    List.of(),
                    Duration.ZERO,
                    between(pauseMin, pauseMax),
                    Duration.ZERO,
                    Duration.ZERO,
                    0,
                    Duration.ZERO,
                    random.nextInt(1_000_000));
        }
        if (totalWeight == 0) {
            throw new IllegalStateException("no kind to draw");
        }
        int r = random.nextInt(totalWeight);
        int k = 0;
        while (r >= weights[k]) {
            r -= weights[k++];
        }
        ChaosKind kind = kinds.get(k);
        boolean leader = false;
        List<Integer> nodes = List.of();
        List<Set<Integer>> groups = List.of();
        Duration latency = Duration.ZERO;
        Duration jitter = Duration.ZERO;
        long rate = 0;
        Duration crashAfter = Duration.ZERO;
        switch (kind) {
            case KILL, STOP, RESTART, WIPE, POWER_LOSS -> {
                leader = random.nextInt(3) == 0;
                nodes = List.of(node());
            }
            case PARTITION -> groups = partition();
            case ISOLATE, FREEZE, CUT_CLIENTS, FULL_LOG, MOVE_LEADER -> nodes = List.of(node());
            case LATENCY, SLOW_LOG -> {
                nodes = List.of(node());
                latency = Duration.ofMillis(5 + random.nextInt(150));
                jitter = Duration.ofMillis(random.nextInt(50));
            }
            case SLOW_LOG_POWER_LOSS -> {
                leader = random.nextInt(3) == 0; // the leader loses power, not the slowed node
                nodes = List.of(node()); // the node whose flushes are slowed
                latency = Duration.ofMillis(50 + random.nextInt(451));
                crashAfter = Duration.ofMillis(200 + random.nextInt(1801));
            }
            case CUT, STALL, DISCONNECT, BANDWIDTH -> {
                int a = random.nextInt(ids.size());
                int b = random.nextInt(ids.size() - 1);
                if (b >= a) {
                    b++;
                }
                nodes = List.of(ids.get(a), ids.get(b));
                if (kind == ChaosKind.BANDWIDTH) {
                    rate = 64 * 1024 + random.nextInt(192 * 1024);
                }
            }
            default -> {}
        }
        Duration hold = kind.isHeld() ? between(holdMin, holdMax) : Duration.ZERO;
        Duration pause = between(pauseMin, pauseMax);
        return new PlannedStep(
                index,
                kind,
                leader,
                nodes,
                groups,
                hold,
                pause,
                latency,
                jitter,
                rate,
                crashAfter,
                random.nextInt(1_000_000));
    }

    private int node() {
        return ids.get(random.nextInt(ids.size()));
    }

    private List<Set<Integer>> partition() {
        int count = ids.size() >= 3 && random.nextInt(5) == 0 ? 3 : 2;
        List<Set<Integer>> groups;
        do {
            groups = new ArrayList<>();
            for (int g = 0; g < count; g++) {
                groups.add(new TreeSet<>());
            }
            for (int id : ids) {
                groups.get(random.nextInt(count)).add(id);
            }
        } while (groups.stream().anyMatch(Set::isEmpty));
        return groups;
    }

    private Duration between(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return span <= 0 ? min : min.plusMillis((long) (random.nextDouble() * (span + 1)));
    }

    private int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }
}
