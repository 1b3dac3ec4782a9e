package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Fencing: a lock whose holders may overlap (a holder learns late that its session expired) is still safe when the
 * resource it protects checks a fencing token, a number the lock hands out with each holding (the lock node's
 * sequence number, the zxid at acquire) that grows with every new holder, and refuses a token smaller than one it
 * has already accepted.
 *
 * <p>Record, beside the lock events of {@link MutualExclusion} ({@link History#acquired}, {@link History#released},
 * {@link History#lost}):
 * <ul>
 *   <li>{@link #token} right after each acquisition: the token of that holding ({@code RecordingMutex} does it);</li>
 *   <li>{@link #accepted} or {@link #rejected} where the protected resource takes or refuses a write, with the token
 *       the writer presented.</li>
 * </ul>
 *
 * <p>The history is VALID when, for every lock: tokens are handed out strictly increasing; every write presents a
 * token its writer was given; the resource never accepted a token smaller than one it had accepted before (so a
 * stale holder's writes after a newer holder's were rejected); and where two holders overlapped, both had a token
 * and the resource recorded its writes (an overlap with no fenced resource to show is INVALID, as in
 * {@code MutualExclusion}). Each INVALID result names the events involved.
 *
 * <p>Events: source {@code process-P} ({@link History#processSource}), description {@code <lock>#<token>}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Fencing implements Checker {

    /** Event kind: the token of the holding that starts at the process's last acquisition of the lock. */
    public static final String TOKEN = "fencing-token";
    /** Event kind: the protected resource accepted a write presenting the token. */
    public static final String ACCEPTED = "fenced-write-accepted";
    /** Event kind: the protected resource refused a write presenting the token (a stale one). */
    public static final String REJECTED = "fenced-write-rejected";

    private static final String NAME = "fencing";

    private Fencing() {}

    /**
     * The checker, for every lock named in the history.
     *
     * @return the checker
     */
    public static Fencing of() {
        return new Fencing();
    }

    /**
     * Records that {@code process}'s holding of {@code lock}, acquired just now, carries {@code token}.
     *
     * @param history the history
     * @param process the holder
     * @param lock the lock's name, as given to {@link History#acquired}
     * @param token the fencing token
     * @return the event
     * @throws NullPointerException if {@code history} or {@code lock} is null
     */
    public static Event token(History history, int process, String lock, long token) {
        return record(history, process, TOKEN, lock, token);
    }

    /**
     * Records that the protected resource accepted a write of {@code process} presenting {@code token}.
     *
     * @param history the history
     * @param process the writer
     * @param lock the lock that protects the resource
     * @param token the token presented
     * @return the event
     * @throws NullPointerException if {@code history} or {@code lock} is null
     */
    public static Event accepted(History history, int process, String lock, long token) {
        return record(history, process, ACCEPTED, lock, token);
    }

    /**
     * Records that the protected resource refused a write of {@code process} presenting {@code token}.
     *
     * @param history the history
     * @param process the writer
     * @param lock the lock that protects the resource
     * @param token the token presented
     * @return the event
     * @throws NullPointerException if {@code history} or {@code lock} is null
     */
    public static Event rejected(History history, int process, String lock, long token) {
        return record(history, process, REJECTED, lock, token);
    }

    private static Event record(History history, int process, String kind, String lock, long token) {
        Objects.requireNonNull(history, "history must not be null");
        Objects.requireNonNull(lock, "lock must not be null");
        return history.event(History.processSource(process), kind, lock + '#' + token);
    }

    /** A lock and token read back from an event's description. */
    private record Tagged(Event event, String lock, long token) {
        String describe() {
            return event.source() + " " + what() + " token " + token + " at " + ms(event.timeNanos());
        }

        private String what() {
            return switch (event.kind()) {
                case TOKEN -> "was given";
                case ACCEPTED -> "had a write accepted with";
                default -> "had a write rejected with";
            };
        }
    }

    /** One process's belief that it held one lock, and the token of that holding (null if none was recorded). */
    private record Holding(
            String holder,
            Event start,
            @Nullable Event end,
            @Nullable Tagged token) {
        long from() {
            return start.timeNanos();
        }

        long to() {
            return end == null ? Long.MAX_VALUE : end.timeNanos();
        }
    }

    /** Checks tokens, writes and overlaps (see the class comment). */
    @Override
    public CheckResult check(History history) {
        List<Event> events = history.events();
        Map<String, List<Holding>> holdings = new TreeMap<>();
        Map<String, List<Tagged>> tokens = new TreeMap<>();
        Map<String, List<Tagged>> writes = new TreeMap<>();
        Map<String, Event> open = new HashMap<>(); // holder + '\n' + lock -> acquired event
        Map<String, Tagged> openToken = new HashMap<>();
        for (Event e : events) {
            switch (e.kind()) {
                case History.LOCK_ACQUIRED -> open.putIfAbsent(e.source() + '\n' + e.description(), e);
                case History.LOCK_RELEASED, History.LOCK_LOST -> {
                    String k = e.source() + '\n' + e.description();
                    Event start = open.remove(k);
                    if (start != null) {
                        holdings.computeIfAbsent(e.description(), l -> new ArrayList<>())
                                .add(new Holding(e.source(), start, e, openToken.remove(k)));
                    }
                }
                case TOKEN, ACCEPTED, REJECTED -> {
                    Tagged t = parse(e);
                    if (t == null) {
                        return CheckResult.invalid(
                                NAME,
                                null,
                                "event " + e.describe() + " does not name a lock and a token as <lock>#<token>",
                                List.of(),
                                List.of(e));
                    }
                    if (e.kind().equals(TOKEN)) {
                        tokens.computeIfAbsent(t.lock(), l -> new ArrayList<>()).add(t);
                        String k = e.source() + '\n' + t.lock();
                        if (open.containsKey(k)) {
                            openToken.putIfAbsent(k, t);
                        }
                    } else {
                        writes.computeIfAbsent(t.lock(), l -> new ArrayList<>()).add(t);
                    }
                }
                default -> {}
            }
        }
        for (Map.Entry<String, Event> o : open.entrySet()) {
            Event start = o.getValue();
            holdings.computeIfAbsent(start.description(), l -> new ArrayList<>())
                    .add(new Holding(start.source(), start, null, openToken.get(o.getKey())));
        }
        for (Map.Entry<String, List<Tagged>> lock : tokens.entrySet()) {
            CheckResult bad = increasing(lock.getKey(), lock.getValue());
            if (bad != null) {
                return bad;
            }
        }
        int accepted = 0;
        int rejected = 0;
        for (Map.Entry<String, List<Tagged>> lock : writes.entrySet()) {
            CheckResult bad = fenced(lock.getKey(), lock.getValue(), tokens.getOrDefault(lock.getKey(), List.of()));
            if (bad != null) {
                return bad;
            }
            for (Tagged w : lock.getValue()) {
                if (w.event().kind().equals(ACCEPTED)) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
        }
        int count = 0;
        int overlaps = 0;
        for (Map.Entry<String, List<Holding>> lock : holdings.entrySet()) {
            List<Holding> list = lock.getValue();
            list.sort((a, b) -> Long.compare(a.from(), b.from()));
            count += list.size();
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1;
                        j < list.size() && list.get(j).from() < list.get(i).to();
                        j++) {
                    Holding a = list.get(i);
                    Holding b = list.get(j);
                    if (a.holder().equals(b.holder())) {
                        continue;
                    }
                    overlaps++;
                    CheckResult bad = overlap(lock.getKey(), a, b, writes.containsKey(lock.getKey()));
                    if (bad != null) {
                        return bad;
                    }
                }
            }
        }
        return CheckResult.valid(
                NAME,
                count + " holdings of " + holdings.size() + " locks, " + overlaps + " overlapping pairs; the resource"
                        + " accepted " + accepted + " writes with never-decreasing tokens and rejected " + rejected);
    }

    private static @Nullable CheckResult increasing(String lock, List<Tagged> given) {
        for (int i = 1; i < given.size(); i++) {
            Tagged before = given.get(i - 1);
            Tagged now = given.get(i);
            if (now.token() <= before.token()) {
                return CheckResult.invalid(
                        NAME,
                        lock,
                        "lock " + lock + " handed out tokens that do not increase: " + before.describe() + ", then "
                                + now.describe() + ". A token must grow with every holding, or a resource cannot"
                                + " tell a stale holder from the current one.",
                        List.of(),
                        List.of(before.event(), now.event()));
            }
        }
        return null;
    }

    private static @Nullable CheckResult fenced(String lock, List<Tagged> writes, List<Tagged> given) {
        Tagged highest = null;
        for (Tagged w : writes) {
            Tagged issued = null;
            for (Tagged g : given) {
                if (g.token() == w.token()
                        && g.event().source().equals(w.event().source())
                        && g.event().timeNanos() <= w.event().timeNanos()) {
                    issued = g;
                }
            }
            if (issued == null) {
                return CheckResult.invalid(
                        NAME,
                        lock,
                        "on the resource protected by lock " + lock + ", " + w.describe() + ", a token it was never"
                                + " given for that lock.",
                        List.of(),
                        List.of(w.event()));
            }
            if (!w.event().kind().equals(ACCEPTED)) {
                continue;
            }
            if (highest != null && w.token() < highest.token()) {
                return CheckResult.invalid(
                        NAME,
                        lock,
                        "the resource protected by lock " + lock + " accepted a stale token: " + highest.describe()
                                + ", then " + w.describe() + ". The older holder still believed it held the lock"
                                + " (it learns of a lost session late); only a resource that refuses tokens smaller"
                                + " than the largest it has seen makes that safe.",
                        List.of(),
                        List.of(issued.event(), highest.event(), w.event()));
            }
            if (highest == null || w.token() > highest.token()) {
                highest = w;
            }
        }
        return null;
    }

    private static @Nullable CheckResult overlap(String lock, Holding a, Holding b, boolean resourceRecorded) {
        String why;
        if (!resourceRecorded) {
            why = "and the protected resource recorded no fenced write (Fencing.accepted / Fencing.rejected), so"
                    + " nothing shows the overlap was harmless";
        } else if (a.token() == null || b.token() == null) {
            why = "and " + (a.token() == null ? a.holder() : b.holder()) + " had no fencing token (Fencing.token)"
                    + " for its holding";
        } else {
            return null;
        }
        long from = Math.max(a.from(), b.from());
        List<Event> involved = new ArrayList<>(List.of(a.start(), b.start()));
        if (a.end() != null) {
            involved.add(a.end());
        }
        if (b.end() != null) {
            involved.add(b.end());
        }
        involved.sort((x, y) -> Long.compare(x.timeNanos(), y.timeNanos()));
        return CheckResult.invalid(
                NAME,
                lock,
                a.holder() + " and " + b.holder() + " held lock " + lock + " at once from " + ms(from) + " " + why
                        + '.',
                List.of(),
                involved);
    }

    private static @Nullable Tagged parse(Event e) {
        String d = e.description();
        int hash = d.lastIndexOf('#');
        if (hash <= 0 || hash == d.length() - 1) {
            return null;
        }
        try {
            return new Tagged(e, d.substring(0, hash), Long.parseLong(d.substring(hash + 1)));
        } catch (NumberFormatException x) {
            return null;
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
