package io.github.zkharness.chaos;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The session steps of a chaos run ({@link ChaosKind#EXPIRE_SESSION}, {@link ChaosKind#DROP_CONNECTION}): which
 * session a step picks (one of those the schedule was given, else one the running servers report with {@code cons}),
 * and what is done to it.
 */
final class SessionSteps {

    private static final Pattern SESSION_ID = Pattern.compile("sid=0x([0-9a-fA-F]+)");

    private final ZkEnsemble zk;
    private final @Nullable Supplier<? extends Collection<Long>> sessions;
    private final RunState state;

    SessionSteps(ZkEnsemble zk, @Nullable Supplier<? extends Collection<Long>> sessions, RunState state) {
        this.zk = zk;
        this.sessions = sessions;
        this.state = state;
    }

    /** Expires, or drops the connection of, the session the step's pick chooses; skipped when there is none. */
    StepExecutor.Outcome apply(PlannedStep p, ChaosStep step) {
        List<Long> ids = new ArrayList<>();
        if (sessions != null) {
            Collection<Long> given = sessions.get();
            if (given != null) {
                given.stream().filter(id -> id != null && id != 0).forEach(ids::add);
            }
        } else {
            Set<Long> seen = new LinkedHashSet<>();
            for (ZkNode n : zk.nodes()) {
                if (n.state() == NodeState.RUNNING && !state.frozen.contains(n.id())) {
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
            return new StepExecutor.Outcome.Skipped(
                    "no session to pick" + (sessions == null ? " (no server reports one)" : " (none given)"));
        }
        long id = ids.get(p.pick() % ids.size());
        String hex = "0x" + Long.toHexString(id);
        state.retarget(step, "session " + hex);
        if (p.kind() == ChaosKind.EXPIRE_SESSION) {
            zk.expireSession(id);
            return new StepExecutor.Outcome.Done("expired session " + hex);
        }
        zk.dropClientConnection(id);
        return new StepExecutor.Outcome.Done("dropped the connection of session " + hex);
    }
}
