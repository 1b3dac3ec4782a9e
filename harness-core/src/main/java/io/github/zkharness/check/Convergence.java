package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.history.History;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Convergence: once the ensemble has settled, every server holds the same tree, and no ephemeral znode outlives its
 * session. Two oracles that need no history, for what a crash or a partition can break without any client seeing it:
 * servers whose trees differ (a follower that kept a transaction the others dropped, or missed one), and an ephemeral
 * whose session is gone (a session closed or expired while a server was down or cut off).
 *
 * <p>{@link #of(ZkEnsemble)} reads, node by node, each server's own tree (a client of that server alone, after a
 * {@code sync} with the leader), everything but {@code /zookeeper}: per znode its data, data version, ACL, creating
 * and last modifying transaction and ephemeral owner. Then it asks the leader ({@code dump}, a four-letter word)
 * which sessions are alive. Call it once the faults are healed, every node serves and the workload has stopped
 * writing and opening sessions (closing a {@code ChaosRun} waits for the first two); writes or sessions made while it
 * reads make the trees differ or an owner look unknown.
 *
 * <p>It also compares ZooKeeper's own tree digests ({@code hash}, a four-letter word): every server that has
 * digests on (ZooKeeper's default, {@code zookeeper.digest.enabled}) notes the digest of its whole tree after every
 * 128th transaction, its last 1024 such notes. Two servers with different digests after the same transaction held
 * different trees at that point, even if they hold the same tree now; the oldest such transaction is where to start
 * reading the servers' logs. A server that loaded its data since (a restart, or a snapshot from the leader) noted
 * its digests again from then on.
 *
 * <p>The verdict: INVALID, naming up to 10 findings: every ephemeral whose owner the leader does not know,
 * confirmed by a second look; the oldest transaction after which the digests differ, with how many more did; the
 * znodes that differ (one server has one another lacks, or holds it differently). VALID otherwise. Where the
 * ensemble's four-letter words leave out {@code dump}, ephemerals are not checked, and where they leave out {@code
 * hash}, digests are not compared; the explanation says so.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Convergence implements Checker {

    private static final String NAME = "convergence";
    private static final int SHOWN = 10;
    private static final Pattern SESSION = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern DIGEST = Pattern.compile("([0-9a-fA-F]+): (-?[0-9]+)");

    /** One znode as one server holds it. */
    record Znode(String data, int version, String acl, long czxid, long mzxid, long ephemeralOwner) {
        @Override
        public String toString() {
            return "data " + data + ", version " + version + ", acl " + acl + ", created in 0x"
                    + Long.toHexString(czxid) + ", modified in 0x" + Long.toHexString(mzxid)
                    + (ephemeralOwner == 0 ? "" : ", ephemeral of session 0x" + Long.toHexString(ephemeralOwner));
        }
    }

    private final Map<String, Map<String, Znode>> trees;
    private final List<String> outlived;
    private final String sessionsNote;
    private final @Nullable Map<String, Map<Long, Long>> digests;

    /** What was read, without digests: node name to path to znode, the ephemerals without a session, a note. */
    Convergence(Map<String, Map<String, Znode>> trees, List<String> outlived, String sessionsNote) {
        this(trees, outlived, sessionsNote, Map.of());
    }

    /**
     * What was read: node name to path to znode, the ephemerals found without a session, a note on sessions, and
     * node name to ZooKeeper's tree digest per transaction ({@code null}: {@code hash} was not allowed).
     */
    Convergence(
            Map<String, Map<String, Znode>> trees,
            List<String> outlived,
            String sessionsNote,
            @Nullable Map<String, Map<Long, Long>> digests) {
        this.trees = trees;
        this.outlived = outlived;
        this.sessionsNote = sessionsNote;
        this.digests = digests;
    }

    /**
     * Reads every node's tree and the leader's live sessions now.
     *
     * @param zk the ensemble, settled
     * @return the checker, holding what it read
     * @throws NullPointerException if {@code zk} is null
     * @throws IllegalStateException naming the nodes that do not serve, or if no node leads
     * @throws ZkHarnessException if a node cannot be read
     */
    public static Convergence of(ZkEnsemble zk) {
        Objects.requireNonNull(zk, "zk must not be null");
        List<String> down = zk.nodes().stream()
                .filter(n -> !n.isServing())
                .map(n -> "node " + n.id() + " is " + (n.state() == NodeState.RUNNING ? "not serving" : n.state()))
                .toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("convergence reads every node, but " + String.join(", ", down)
                    + "; restart() them and awaitServing() first");
        }
        ZkNode leader = zk.findLeader()
                .orElseThrow(() -> new IllegalStateException(
                        "convergence asks the leader which sessions are alive, but no node leads: " + zk.describe()));
        Set<Long> alive = liveSessions(leader);
        Map<String, Map<String, Znode>> trees = new TreeMap<>();
        Map<String, Map<Long, Long>> logs = new TreeMap<>();
        boolean hashAllowed = true;
        for (ZkNode node : zk.nodes()) {
            trees.put("node-" + node.id(), tree(node));
            Map<Long, Long> log = digestLog(node);
            hashAllowed &= log != null;
            if (log != null) {
                logs.put("node-" + node.id(), log);
            }
        }
        Map<String, Map<Long, Long>> digests = hashAllowed ? logs : null;
        if (alive == null) {
            return new Convergence(
                    trees,
                    List.of(),
                    "; ephemerals not checked: the ensemble's four-letter words leave out dump",
                    digests);
        }
        List<String> outlived = new ArrayList<>();
        Map<String, Znode> ofLeader = trees.getOrDefault("node-" + leader.id(), Map.of());
        List<String> suspects = ofLeader.entrySet().stream()
                .filter(e -> e.getValue().ephemeralOwner() != 0
                        && !alive.contains(e.getValue().ephemeralOwner()))
                .map(Map.Entry::getKey)
                .toList();
        if (!suspects.isEmpty()) {
            Set<Long> again = liveSessions(leader); // a second look: a session opened meanwhile is no finding
            Set<Long> known = again == null ? alive : again;
            Map<String, Znode> now = tree(leader);
            for (String path : suspects) {
                Znode z = now.get(path);
                if (z != null && z.ephemeralOwner() != 0 && !known.contains(z.ephemeralOwner())) {
                    outlived.add("ephemeral " + path + " outlived its session 0x" + Long.toHexString(z.ephemeralOwner())
                            + ": the leader, node " + leader.id() + ", knows no such session");
                }
            }
        }
        return new Convergence(trees, outlived, "", digests);
    }

    /** ZooKeeper's noted tree digests of {@code node}, by transaction; null if the whitelist leaves out {@code hash}. */
    private static @Nullable Map<Long, Long> digestLog(ZkNode node) {
        String answer = node.fourLetterWord("hash");
        if (answer.contains("not in the whitelist")) {
            return null;
        }
        Map<Long, Long> log = new TreeMap<>();
        answer.lines()
                .map(DIGEST::matcher)
                .filter(Matcher::matches)
                .forEach(m -> log.put(Long.parseUnsignedLong(m.group(1), 16), Long.parseLong(m.group(2))));
        return log;
    }

    /** The leader's live sessions, from {@code dump}; null if the whitelist leaves {@code dump} out. */
    private static @Nullable Set<Long> liveSessions(ZkNode leader) {
        String dump = leader.fourLetterWord("dump");
        if (dump.contains("not in the whitelist")) {
            return null;
        }
        int end = dump.indexOf("ephemeral nodes dump");
        Matcher m = SESSION.matcher(end < 0 ? dump : dump.substring(0, end));
        Set<Long> sessions = new TreeSet<>();
        while (m.find()) {
            sessions.add(Long.parseUnsignedLong(m.group().substring(2), 16));
        }
        return sessions;
    }

    @SuppressWarnings("try") // ZooKeeper.close() throws InterruptedException, handled below with the others
    private static Map<String, Znode> tree(ZkNode node) {
        Map<String, Znode> tree = new TreeMap<>();
        try (ZooKeeper client = node.newZooKeeper()) {
            CompletableFuture<Integer> synced = new CompletableFuture<>();
            client.sync("/", (rc, path, ctx) -> synced.complete(rc), null);
            synced.get(node.ensemble().defaultTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Deque<String> todo = new ArrayDeque<>(List.of("/"));
            while (!todo.isEmpty()) {
                String path = todo.pop();
                try {
                    Stat stat = new Stat();
                    byte[] data = client.getData(path, false, stat);
                    List<ACL> acl = client.getACL(path, new Stat());
                    tree.put(
                            path,
                            new Znode(
                                    text(data),
                                    stat.getVersion(),
                                    acl.stream()
                                            .map(a -> a.getId().getScheme() + ":"
                                                    + a.getId().getId() + ":" + a.getPerms())
                                            .sorted()
                                            .collect(Collectors.joining(",", "[", "]")),
                                    stat.getCzxid(),
                                    stat.getMzxid(),
                                    stat.getEphemeralOwner()));
                    for (String child : client.getChildren(path, false)) {
                        String childPath = path.equals("/") ? "/" + child : path + "/" + child;
                        if (!childPath.equals("/zookeeper")) {
                            todo.push(childPath);
                        }
                    }
                } catch (KeeperException.NoNodeException deletedMeanwhile) {
                    // gone while read: the ensemble was not settled; the trees may then differ, which says so
                } catch (KeeperException.NoAuthException unreadable) {
                    tree.put(path, new Znode("(not readable by the harness's client)", -1, "?", 0, 0, 0));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while reading node " + node.id() + " for convergence", e);
        } catch (KeeperException | ExecutionException | TimeoutException e) {
            throw new ZkHarnessException("could not read the tree of node " + node.id() + ": " + e, e);
        }
        return tree;
    }

    private static String text(byte[] data) {
        if (data == null) {
            return "null";
        }
        String s = new String(data, StandardCharsets.UTF_8);
        boolean printable = s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && s.length() <= 64;
        return printable
                ? '"' + s + '"'
                : data.length + " bytes 0x" + HexFormat.of().formatHex(data, 0, Math.min(16, data.length))
                        + (data.length > 16 ? "..." : "");
    }

    /** Compares what it read; {@code history} is not used (these oracles need none). */
    @Override
    public CheckResult check(History history) {
        List<String> differences = new ArrayList<>();
        Set<String> paths = new TreeSet<>();
        trees.values().forEach(t -> paths.addAll(t.keySet()));
        for (String path : paths) {
            Map<Znode, List<String>> versions = new java.util.LinkedHashMap<>();
            List<String> lacking = new ArrayList<>();
            trees.forEach((node, tree) -> {
                Znode z = tree.get(path);
                if (z == null) {
                    lacking.add(node);
                } else {
                    versions.computeIfAbsent(z, k -> new ArrayList<>()).add(node);
                }
            });
            if (versions.size() > 1 || !lacking.isEmpty()) {
                StringBuilder d = new StringBuilder(path + ":");
                versions.forEach((z, nodes) ->
                        d.append(' ').append(nodes).append(" hold ").append(z).append(';'));
                if (!lacking.isEmpty()) {
                    d.append(' ').append(lacking).append(" lack it;");
                }
                differences.add(d.substring(0, d.length() - 1));
            }
        }
        int znodes = trees.values().stream().mapToInt(Map::size).max().orElse(0);
        DigestComparison digest = compareDigests();
        if (differences.isEmpty() && outlived.isEmpty() && digest.differing().isEmpty()) {
            return CheckResult.valid(
                    NAME,
                    znodes + " znodes identical on all " + trees.size() + " nodes" + digest.note()
                            + (sessionsNote.isEmpty() ? "; every ephemeral's session is alive" : sessionsNote));
        }
        List<String> findings = new ArrayList<>(outlived);
        if (!digest.differing().isEmpty()) {
            findings.add(digest.differing().get(0)
                    + (digest.differing().size() == 1
                            ? ""
                            : " (the oldest of " + digest.differing().size() + " such transactions)"));
        }
        findings.addAll(differences);
        List<String> headline = new ArrayList<>();
        if (!differences.isEmpty()) {
            headline.add(differences.size() + " znodes differ between servers");
        }
        if (!digest.differing().isEmpty()) {
            headline.add("ZooKeeper's tree digests differ after "
                    + digest.differing().size() + " of the " + digest.common()
                    + " transactions the servers noted in common");
        }
        if (!outlived.isEmpty()) {
            headline.add(outlived.size() + " ephemerals outlived their sessions");
        }
        String shown = findings.stream().limit(SHOWN).collect(Collectors.joining("\n  "));
        return CheckResult.invalid(
                NAME,
                null,
                String.join(" and ", headline) + " once the ensemble settled" + sessionsNote + ":\n  " + shown
                        + (findings.size() > SHOWN ? "\n  ... and " + (findings.size() - SHOWN) + " more" : ""),
                List.of(),
                List.of());
    }

    /**
     * The digests compared: how many transactions two or more servers noted a digest after, those after which the
     * digests differ (oldest first, each spelled out), and a note for a VALID explanation.
     */
    private record DigestComparison(int common, List<String> differing, String note) {}

    private DigestComparison compareDigests() {
        if (digests == null) {
            return new DigestComparison(
                    0, List.of(), "; digests not compared: the ensemble's four-letter words leave out hash");
        }
        Map<Long, Map<Long, List<String>>> byZxid = new TreeMap<>();
        digests.forEach((node, log) -> log.forEach((zxid, value) -> byZxid.computeIfAbsent(zxid, z -> new TreeMap<>())
                .computeIfAbsent(value, v -> new ArrayList<>())
                .add(node)));
        int common = 0;
        List<String> differing = new ArrayList<>();
        for (Map.Entry<Long, Map<Long, List<String>>> e : byZxid.entrySet()) {
            if (e.getValue().values().stream().mapToInt(List::size).sum() < 2) {
                continue;
            }
            common++;
            if (e.getValue().size() > 1) {
                differing.add("ZooKeeper's tree digest after transaction 0x" + Long.toHexString(e.getKey()) + ": "
                        + e.getValue().entrySet().stream()
                                .map(d -> d.getValue() + " " + d.getKey())
                                .collect(Collectors.joining(", ")));
            }
        }
        String note = common == 0
                ? "; no tree digest noted in common (ZooKeeper notes one every 128 transactions)"
                : "; ZooKeeper's tree digests agree after the " + common + " transactions noted in common";
        return new DigestComparison(common, differing, note);
    }

    /** What each node held, as read. */
    Map<String, Map<String, Znode>> trees() {
        return trees;
    }

    @Override
    public String toString() {
        return "Convergence.of(zk) [" + trees.size() + " nodes read]";
    }
}
