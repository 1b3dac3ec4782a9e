package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What one checker concluded about one history: a {@link Verdict}, a one-paragraph explanation, and when INVALID a
 * small counterexample (the operations involved, the events in force such as faults and lock changes, the key).
 * {@link #toString()} is written to be a test failure message.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CheckResult {

    private final String checker;
    private final Verdict verdict;
    private final @Nullable String key;
    private final String explanation;
    private final List<Operation> counterexample;
    private final List<Event> events;
    private final List<CheckResult> parts;
    private final Map<String, List<Operation>> linearization;

    private CheckResult(
            String checker,
            Verdict verdict,
            @Nullable String key,
            String explanation,
            List<Operation> counterexample,
            List<Event> events,
            List<CheckResult> parts,
            Map<String, List<Operation>> linearization) {
        if (checker == null || verdict == null || explanation == null) {
            throw new IllegalArgumentException("a result needs a checker name, a verdict and an explanation, got "
                    + checker + ", " + verdict + ", " + explanation);
        }
        this.checker = checker;
        this.verdict = verdict;
        this.key = key;
        this.explanation = explanation;
        this.counterexample = List.copyOf(counterexample);
        this.events = List.copyOf(events);
        this.parts = List.copyOf(parts);
        Map<String, List<Operation>> orders = new TreeMap<>();
        linearization.forEach((k, ops) -> orders.put(k, List.copyOf(ops)));
        this.linearization = Collections.unmodifiableMap(orders);
    }

    /**
     * A VALID result.
     *
     * @param checker the checker's name
     * @param explanation what was checked ("412 operations on 10 keys are linearizable")
     * @return the result
     */
    public static CheckResult valid(String checker, String explanation) {
        return new CheckResult(checker, Verdict.VALID, null, explanation, List.of(), List.of(), List.of(), Map.of());
    }

    /**
     * A VALID result of a linearizability check with the order it found: per key, the operations in an order in
     * which they could have taken effect.
     */
    static CheckResult linearized(String checker, String explanation, Map<String, List<Operation>> orders) {
        return new CheckResult(checker, Verdict.VALID, null, explanation, List.of(), List.of(), List.of(), orders);
    }

    /**
     * An INVALID result.
     *
     * @param checker the checker's name
     * @param key the key it is about, or null
     * @param explanation one paragraph saying what went wrong
     * @param counterexample the operations involved (keep it small)
     * @param events the events involved or in force (lock changes, faults)
     * @return the result
     */
    public static CheckResult invalid(
            String checker,
            @Nullable String key,
            String explanation,
            List<Operation> counterexample,
            List<Event> events) {
        return new CheckResult(checker, Verdict.INVALID, key, explanation, counterexample, events, List.of(), Map.of());
    }

    /**
     * An UNKNOWN result: the checker could not decide.
     *
     * @param checker the checker's name
     * @param key the key it gave up on, or null
     * @param explanation why (which budget ran out, how far it got)
     * @return the result
     */
    public static CheckResult unknown(String checker, @Nullable String key, String explanation) {
        return new CheckResult(checker, Verdict.UNKNOWN, key, explanation, List.of(), List.of(), List.of(), Map.of());
    }

    /**
     * A result made of parts (see {@link Checks#combine}); its counterexample and events are those of its first
     * INVALID part.
     *
     * @param checker the name
     * @param verdict the combined verdict
     * @param explanation a summary
     * @param parts the parts
     * @return the result
     */
    public static CheckResult combined(String checker, Verdict verdict, String explanation, List<CheckResult> parts) {
        CheckResult firstInvalid = parts.stream()
                .filter(p -> p.verdict == Verdict.INVALID)
                .findFirst()
                .orElse(null);
        return new CheckResult(
                checker,
                verdict,
                firstInvalid == null ? null : firstInvalid.key,
                explanation,
                firstInvalid == null ? List.of() : firstInvalid.counterexample,
                firstInvalid == null ? List.of() : firstInvalid.events,
                parts,
                Map.of());
    }

    /**
     * The checker's name ("linearizability", "mutual-exclusion", ...).
     *
     * @return the name
     */
    public String checker() {
        return checker;
    }

    /**
     * The verdict.
     *
     * @return VALID, INVALID or UNKNOWN
     */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * Whether the verdict is VALID.
     *
     * @return true if VALID
     */
    public boolean isValid() {
        return verdict == Verdict.VALID;
    }

    /**
     * The key (register, lock) the verdict is about, if any.
     *
     * @return the key
     */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /**
     * One paragraph saying what was found.
     *
     * @return the explanation
     */
    public String explanation() {
        return explanation;
    }

    /**
     * The operations involved in the violation, ordered by invocation; empty unless INVALID.
     *
     * @return an immutable list
     */
    public List<Operation> counterexample() {
        return counterexample;
    }

    /**
     * The events involved or in force at the violation (lock changes, faults); may be empty.
     *
     * @return an immutable list
     */
    public List<Event> events() {
        return events;
    }

    /**
     * For a VALID result of {@link Linearizability}: per key (partition), the operations that took effect, in an
     * order in which they could have (each one between its invocation and its completion, the key's state going
     * from one to the next as the model says). An UNKNOWN operation is in it if its effect was needed, a read-only
     * read never. Empty for every other result. The timeline marks each operation's point in this order.
     *
     * @return key to operations in order, immutable
     */
    public Map<String, List<Operation>> linearization() {
        return linearization;
    }

    /**
     * The results this one combines (see {@link Checks}); empty for a single check.
     *
     * @return an immutable list
     */
    public List<CheckResult> parts() {
        return parts;
    }

    /**
     * This result and all its parts, depth first (this one first).
     *
     * @return a list
     */
    public List<CheckResult> flatten() {
        List<CheckResult> all = new ArrayList<>();
        all.add(this);
        for (CheckResult p : parts) {
            all.addAll(p.flatten());
        }
        return all;
    }

    /**
     * A failure message: the verdict, checker, key and explanation, then the counterexample's operations and events,
     * one a line, then the parts that are not VALID.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        append(s, "");
        return s.toString();
    }

    private void append(StringBuilder s, String indent) {
        s.append(indent).append(verdict).append(' ').append(checker);
        if (key != null) {
            s.append(" (key ").append(key).append(')');
        }
        s.append(": ").append(explanation);
        if (parts.isEmpty()) {
            if (!counterexample.isEmpty()) {
                s.append('\n').append(indent).append("  operations:");
                for (Operation o : counterexample) {
                    s.append('\n').append(indent).append("    ").append(o.describe());
                }
            }
            if (!events.isEmpty()) {
                s.append('\n').append(indent).append("  events:");
                for (Event e : events) {
                    s.append('\n').append(indent).append("    ").append(e.describe());
                }
            }
        }
        for (CheckResult p : parts) {
            if (p.verdict != Verdict.VALID) {
                s.append('\n');
                p.append(s, indent + "  ");
            }
        }
    }
}
