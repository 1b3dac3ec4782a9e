package io.github.zkharness.check;

import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A whole key/value store as one state (one partition): what {@link RegisterModel} does per key, over every key at
 * once. A user's model that does not partition, for differential tests.
 */
final class StoreModel implements Model<Map<String, String>> {

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
        Map<String, String> next = new TreeMap<>(state);
        if (op.value() == null) {
            next.remove(op.key());
        } else {
            next.put(op.key(), op.value());
        }
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
