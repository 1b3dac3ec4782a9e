package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Durability: every acknowledged write survives, with a value it may legitimately have ended with, on every node.
 *
 * <p>Input: the history and what each node holds after the faults are healed and every node has caught up, as
 * {@code node -> (key -> value)} (a missing key means the node does not have it). For each key with at least one OK
 * {@link OpKind#WRITE} or {@link OpKind#CAS}, every given node must hold a value that some linearizable order of the
 * writes could leave last: the value of a write (OK or UNKNOWN) not definitely overwritten, where an OK write is
 * definitely overwritten when another OK write was invoked after it completed. An UNKNOWN write may have taken effect
 * at any time after its invocation, so its value is always allowed, and it never overwrites definitely. So only what
 * is definitely lost is flagged: a missing key, or a value no acceptable last write wrote.
 *
 * <p>Not modelled: deletes (a key a workload deletes must not be checked here).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Durability implements Checker {

    private static final String NAME = "durability";

    private final Map<String, Map<String, String>> found;

    private Durability(Map<String, Map<String, String>> found) {
        this.found = found;
    }

    /**
     * A checker against what each node holds.
     *
     * @param foundOnNodes node name ("node-1") to its key/value contents after heal
     * @return the checker
     * @throws IllegalArgumentException if the map is null or empty or holds a null map
     */
    public static Durability of(Map<String, Map<String, String>> foundOnNodes) {
        if (foundOnNodes == null || foundOnNodes.isEmpty()) {
            throw new IllegalArgumentException("durability needs what at least one node holds, got " + foundOnNodes);
        }
        Map<String, Map<String, String>> copy = new TreeMap<>();
        foundOnNodes.forEach((node, contents) -> {
            if (contents == null) {
                throw new IllegalArgumentException("node " + node + " has a null map; use an empty map for none");
            }
            copy.put(node, new TreeMap<>(contents));
        });
        return new Durability(copy);
    }

    /** Checks each acknowledged key on each node. */
    @Override
    public CheckResult check(History history) {
        Map<String, List<Operation>> writes = new TreeMap<>();
        for (Operation op : history.operations()) {
            if ((op.kind().equals(OpKind.WRITE) || op.kind().equals(OpKind.CAS)) && op.outcome() != Outcome.FAIL) {
                writes.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        int keys = 0;
        List<String> losses = new ArrayList<>();
        String firstKey = null;
        List<Operation> firstCounterexample = List.of();
        for (Map.Entry<String, List<Operation>> e : writes.entrySet()) {
            List<Operation> ws = e.getValue();
            if (ws.stream().noneMatch(w -> w.outcome() == Outcome.OK)) {
                continue;
            }
            keys++;
            List<Operation> last = possiblyLast(ws);
            Set<String> allowed = new LinkedHashSet<>();
            last.forEach(w -> allowed.add(w.value()));
            for (Map.Entry<String, Map<String, String>> node : found.entrySet()) {
                String has = node.getValue().get(e.getKey());
                if (has == null || !allowed.contains(has)) {
                    losses.add(
                            node.getKey() + " has " + e.getKey() + " = " + (has == null ? "nothing" : '"' + has + '"')
                                    + " but it must be one of " + quoteAll(allowed));
                    if (firstKey == null) {
                        firstKey = e.getKey();
                        firstCounterexample = last.stream()
                                .filter(w -> w.outcome() == Outcome.OK)
                                .limit(8)
                                .toList();
                    }
                }
            }
        }
        if (losses.isEmpty()) {
            return CheckResult.valid(
                    NAME, keys + " acknowledged keys hold an acceptable last value on all " + found.size() + " nodes");
        }
        String shown = String.join("; ", losses.subList(0, Math.min(5, losses.size())));
        return CheckResult.invalid(
                NAME,
                firstKey,
                losses.size() + " acknowledged values lost: " + shown
                        + (losses.size() > 5 ? "; ..." : "") + ". The operations are the acknowledged writes of key "
                        + firstKey
                        + " that could have been last.",
                firstCounterexample,
                List.of());
    }

    /** Writes (OK or UNKNOWN) not definitely overwritten by an OK write invoked after they completed. */
    private static List<Operation> possiblyLast(List<Operation> ws) {
        long latestOkInvoke = Long.MIN_VALUE;
        for (Operation w : ws) {
            if (w.outcome() == Outcome.OK) {
                latestOkInvoke = Math.max(latestOkInvoke, w.invokeNanos());
            }
        }
        List<Operation> last = new ArrayList<>();
        for (Operation w : ws) {
            if (w.outcome() != Outcome.OK || w.completeNanos() >= latestOkInvoke) {
                last.add(w);
            }
        }
        return last;
    }

    private static String quoteAll(Set<String> values) {
        StringBuilder s = new StringBuilder("[");
        int i = 0;
        for (String v : values) {
            if (i++ == 6) {
                s.append(", ...");
                break;
            }
            s.append(i == 1 ? "" : ", ").append('"').append(v).append('"');
        }
        return s.append(']').toString();
    }
}
