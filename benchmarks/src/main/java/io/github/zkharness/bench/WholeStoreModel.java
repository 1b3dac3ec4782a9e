package io.github.zkharness.bench;

import io.github.zkharness.check.Model;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A whole key/value store as one state, for {@link CheckBench}'s {@code check_whole_store_1k}: what
 * {@code RegisterModel} does per key, over every key at once, so the history does not partition.
 */
final class WholeStoreModel implements Model<Map<String, String>> {

    @Override
    public Map<String, String> init() {
        return Map.of();
    }

    @Override
    public Map<String, String> step(Map<String, String> state, Operation op) {
        String current = state.get(op.key());
        if (op.kind().isRead()) {
            return op.outcome() == Outcome.UNKNOWN || Objects.equals(current, op.result()) ? state : null;
        }
        if (op.kind().equals(OpKind.CAS) && !Objects.equals(current, op.expected())) {
            return null;
        }
        Map<String, String> next = new HashMap<>(state);
        next.put(op.key(), op.value());
        return Map.copyOf(next);
    }

    @Override
    public String partition(Operation op) {
        return "store";
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return op.kind().isRead();
    }
}
