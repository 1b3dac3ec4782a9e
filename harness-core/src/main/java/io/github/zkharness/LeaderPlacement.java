package io.github.zkharness;

import io.github.zkharness.internal.ensemble.EnsembleSettings;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Which voter leads once an ensemble has started ({@link ZkEnsemble.Builder#leader(LeaderPlacement)}):
 * ZooKeeper's own outcome, a voter named by id, or a voter drawn from a seed.
 *
 * <p>A fresh ZooKeeper ensemble always elects its highest id, so a suite that only ever starts fresh ensembles
 * silently tests one leader. {@code node(1)} makes the lowest id lead; {@code random(seed)} lets a suite show that
 * it does not depend on which voter leads, and replay a failure with the seed it printed.
 *
 * <p>The mechanism is ZooKeeper's election itself: between candidates with the same epoch and the same last zxid
 * (after a start, all of them), every server's election prefers the chosen voter where ZooKeeper would prefer the
 * higher id. The rest of the order stays ZooKeeper's (a more up-to-date server still wins), so a leader still
 * holds every committed transaction.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class LeaderPlacement {

    private static final LeaderPlacement HIGHEST_ID = new LeaderPlacement(0, null);

    /** The voter named, or 0. */
    private final int id;
    /** The seed that draws the voter, or null. */
    private final @Nullable Long seed;

    private LeaderPlacement(int id, @Nullable Long seed) {
        this.id = id;
        this.seed = seed;
    }

    /**
     * ZooKeeper's own outcome, the default: the elections follow ZooKeeper's order, so after a start the voter with
     * the highest id leads.
     */
    public static LeaderPlacement highestId() {
        return HIGHEST_ID;
    }

    /**
     * Voter {@code id} leads once the ensemble has started, and again after each {@link ZkEnsemble#reset()}.
     * {@link ZkEnsemble.Builder#build()} refuses an id that is not one of the builder's voters (an observer's, say).
     *
     * @throws IllegalArgumentException if {@code id} is below 1
     */
    public static LeaderPlacement node(int id) {
        if (id < 1) {
            throw new IllegalArgumentException("server ids start at 1, got " + id);
        }
        return new LeaderPlacement(id, null);
    }

    /**
     * A voter drawn from {@code seed} leads once the ensemble has started, and again after each
     * {@link ZkEnsemble#reset()}: the same seed draws the same voter of the same builder's voters, and different
     * seeds spread over all of them. {@link ZkEnsemble#preferredLeader()} and the ensemble's {@code toString()} name
     * the voter drawn.
     */
    public static LeaderPlacement random(long seed) {
        return new LeaderPlacement(0, seed);
    }

    /** Hands the choice to the builder's settings. */
    void applyTo(EnsembleSettings settings) {
        if (seed != null) {
            settings.leaderRandom(seed);
        } else if (id != 0) {
            settings.leaderNode(id);
        } else {
            settings.leaderHighestId();
        }
    }

    /** {@code highestId()}, {@code node(2)} or {@code random(42)}, as written. */
    @Override
    public String toString() {
        if (seed != null) {
            return "random(" + seed + ")";
        }
        return id == 0 ? "highestId()" : "node(" + id + ")";
    }
}
