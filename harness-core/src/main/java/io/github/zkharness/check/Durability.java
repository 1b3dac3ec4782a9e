package io.github.zkharness.check;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
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
     * @throws NullPointerException if the map is null or holds a null map
     * @throws IllegalArgumentException if the map is empty
     */
    public static Durability of(Map<String, Map<String, String>> foundOnNodes) {
        Objects.requireNonNull(foundOnNodes, "foundOnNodes must not be null");
        if (foundOnNodes.isEmpty()) {
            throw new IllegalArgumentException("durability needs what at least one node holds, got none");
        }
        Map<String, Map<String, String>> copy = new TreeMap<>();
        foundOnNodes.forEach((node, contents) -> {
            Objects.requireNonNull(contents, () -> "node " + node + " has a null map; use an empty map for none");
            copy.put(node, new TreeMap<>(contents));
        });
        return new Durability(copy);
    }

    /**
     * A checker against what every node of {@code zk} holds under {@code parent} now, each node read on its own (a
     * client of that node alone, after a {@code sync} with the leader): the children of {@code parent} are the keys,
     * their data (UTF-8) the values, as {@code ZkRegisterClient} writes them. Call it once the faults are healed and
     * every node serves (closing a {@code ChaosRun} waits for that).
     *
     * @param zk the ensemble
     * @param parent the znode whose children are the keys, e.g. {@code "/register"}
     * @return the checker
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException naming the nodes that do not serve, if any
     * @throws ZkHarnessException if a node cannot be read
     */
    public static Durability of(ZkEnsemble zk, String parent) {
        Objects.requireNonNull(zk, "zk must not be null");
        Objects.requireNonNull(parent, "parent must not be null");
        List<String> down = zk.nodes().stream()
                .filter(n -> !n.isServing())
                .map(n -> "node " + n.id() + " is " + (n.state() == NodeState.RUNNING ? "not serving" : n.state()))
                .toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("durability reads every node, but " + String.join(", ", down)
                    + "; restart() them and awaitServing() first");
        }
        Map<String, Map<String, String>> found = new TreeMap<>();
        for (ZkNode node : zk.nodes()) {
            found.put("node-" + node.id(), contents(node, parent));
        }
        return of(found);
    }

    @SuppressWarnings("try") // ZooKeeper.close() throws InterruptedException, handled below with the others
    private static Map<String, String> contents(ZkNode node, String parent) {
        Map<String, String> contents = new TreeMap<>();
        try (ZooKeeper client = node.newZooKeeper()) {
            CompletableFuture<Integer> synced = new CompletableFuture<>();
            client.sync(parent, (rc, path, ctx) -> synced.complete(rc), null);
            synced.get(node.ensemble().defaultTimeout().toMillis(), TimeUnit.MILLISECONDS);
            List<String> children;
            try {
                children = client.getChildren(parent, false);
            } catch (KeeperException.NoNodeException none) {
                return contents;
            }
            for (String key : children) {
                try {
                    contents.put(key, new String(client.getData(parent + "/" + key, false, null), UTF_8));
                } catch (KeeperException.NoNodeException deletedMeanwhile) {
                    // not there: durability reports the key missing if it was acknowledged
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while reading node " + node.id() + " for durability", e);
        } catch (KeeperException | ExecutionException | TimeoutException e) {
            throw new ZkHarnessException("could not read " + parent + " on node " + node.id() + ": " + e, e);
        }
        return contents;
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
