package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A history as JSON and back, so that a failing history can be attached to a bug report and checked again elsewhere:
 * {@code HistoryJson.read(file)} gives a history whose entries equal the written snapshot's, and every checker gives
 * it the verdict it gave the original.
 *
 * <p>The format is one object, one entry a line:
 *
 * <pre>{@code
 * {"format": "zk-harness-history", "version": 1, "startedAt": "2025-01-01T12:00:00Z", "entries": [
 * {"type": "op", "id": 0, "process": 1, "kind": "write", "key": "x", "value": "1", "expected": null,
 *  "outcome": "OK", "result": null, "reason": null, "invokeNanos": 1200, "completeNanos": 5300},
 * {"type": "event", "id": 1, "timeNanos": 2000, "source": "chaos", "kind": "fault-start", "description": "isolate node 1"}
 * ]}
 * }</pre>
 *
 * <p>Values are JSON strings or {@code null} (absent); times are nanoseconds on the history's clock, as integers;
 * {@code completeNanos} is -1 for an operation that never completed. The reader takes any JSON whitespace and member
 * order, ignores members it does not know, and names the first thing it cannot read with its position.
 * {@code startedAt} is informative: the imported history's clock starts when it is read.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class HistoryJson {

    /** The value of the {@code format} member. */
    public static final String FORMAT = "zk-harness-history";
    /** The version of the format this class writes and reads. */
    public static final int VERSION = 1;

    private HistoryJson() {}

    /**
     * A snapshot of {@code history} as JSON (see the class comment).
     *
     * @param history the history
     * @return the JSON text, ending with a newline
     * @throws NullPointerException if {@code history} is null
     */
    public static String toJson(History history) {
        Objects.requireNonNull(history, "history must not be null");
        StringBuilder s = new StringBuilder("{\"format\": ");
        string(s, FORMAT);
        s.append(", \"version\": ").append(VERSION).append(", \"startedAt\": ");
        string(s, history.startedAt().toString());
        s.append(", \"entries\": [");
        List<Entry> entries = history.entries();
        for (int i = 0; i < entries.size(); i++) {
            s.append(i == 0 ? "\n" : ",\n");
            if (entries.get(i) instanceof Operation o) {
                operation(s, o);
            } else {
                event(s, (Event) entries.get(i));
            }
        }
        return s.append("\n]}\n").toString();
    }

    /**
     * Writes {@link #toJson} of {@code history} to {@code file} (UTF-8), creating its parent directories.
     *
     * @param history the history
     * @param file where
     * @return {@code file}
     * @throws NullPointerException if an argument is null
     * @throws UncheckedIOException if it cannot be written
     */
    public static Path write(History history, Path file) {
        Objects.requireNonNull(file, "file must not be null");
        String json = toJson(history);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.writeString(file, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the history to " + file, e);
        }
    }

    /**
     * The history that {@code json} describes, through {@link History#of}.
     *
     * @param json text in the format of the class comment
     * @return the history
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the position and what was expected if it is not JSON, not this
     *     format, of another version, or an entry is not a valid operation or event
     */
    public static History fromJson(String json) {
        Objects.requireNonNull(json, "json must not be null");
        JsonReader reader = new JsonReader(json);
        Object root = reader.document();
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("a history is a JSON object, got " + kindOf(root));
        }
        if (!FORMAT.equals(top.get("format"))) {
            throw new IllegalArgumentException(
                    "not a zk-harness history: \"format\" is " + show(top.get("format")) + ", not \"" + FORMAT + '"');
        }
        Object version = top.get("version");
        if (!(version instanceof Long v) || v != VERSION) {
            throw new IllegalArgumentException(
                    "this reader knows version " + VERSION + " of the format, got " + show(version));
        }
        if (!(top.get("entries") instanceof List<?> list)) {
            throw new IllegalArgumentException("\"entries\" must be an array, got " + kindOf(top.get("entries")));
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("entry " + i + " must be an object, got " + kindOf(list.get(i)));
            }
            try {
                entries.add(entry(m));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + i + ": " + e.getMessage(), e);
            }
        }
        return History.of(entries);
    }

    /**
     * {@link #fromJson} of the file's text (UTF-8).
     *
     * @param file a file written by {@link #write} (or by hand in the same format)
     * @return the history
     * @throws NullPointerException if {@code file} is null
     * @throws UncheckedIOException if it cannot be read
     * @throws IllegalArgumentException as {@link #fromJson}
     */
    public static History read(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a history from " + file, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ writing

    private static void operation(StringBuilder s, Operation o) {
        s.append("{\"type\": \"op\", \"id\": ").append(o.id());
        s.append(", \"process\": ").append(o.process());
        s.append(", \"kind\": ");
        string(s, o.kind().name());
        member(s, "key", o.key());
        member(s, "value", o.value());
        member(s, "expected", o.expected());
        member(s, "outcome", o.outcome().name());
        member(s, "result", o.result());
        member(s, "reason", o.reason());
        s.append(", \"invokeNanos\": ").append(o.invokeNanos());
        s.append(", \"completeNanos\": ").append(o.completeNanos()).append('}');
    }

    private static void event(StringBuilder s, Event e) {
        s.append("{\"type\": \"event\", \"id\": ").append(e.id());
        s.append(", \"timeNanos\": ").append(e.timeNanos());
        member(s, "source", e.source());
        member(s, "kind", e.kind());
        member(s, "description", e.description());
        s.append('}');
    }

    private static void member(StringBuilder s, String name, @Nullable String value) {
        s.append(", \"").append(name).append("\": ");
        string(s, value);
    }

    private static void string(StringBuilder s, @Nullable String value) {
        if (value == null) {
            s.append("null");
            return;
        }
        s.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }

    // ------------------------------------------------------------------------------------------------ reading

    private static Entry entry(Map<?, ?> m) {
        Object type = m.get("type");
        if ("op".equals(type)) {
            long complete = number(m, "completeNanos");
            return new Operation(
                    number(m, "id"),
                    Math.toIntExact(number(m, "process")),
                    OpKind.of(required(m, "kind")),
                    required(m, "key"),
                    optional(m, "value"),
                    optional(m, "expected"),
                    outcome(required(m, "outcome")),
                    optional(m, "result"),
                    optional(m, "reason"),
                    number(m, "invokeNanos"),
                    complete);
        }
        if ("event".equals(type)) {
            return new Event(
                    number(m, "id"),
                    number(m, "timeNanos"),
                    required(m, "source"),
                    required(m, "kind"),
                    required(m, "description"));
        }
        throw new IllegalArgumentException("\"type\" must be \"op\" or \"event\", got " + show(type));
    }

    private static Outcome outcome(String name) {
        for (Outcome o : Outcome.values()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("\"outcome\" must be OK, FAIL or UNKNOWN, got \"" + name + '"');
    }

    private static long number(Map<?, ?> m, String name) {
        if (m.get(name) instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException(
                '"' + name + "\" must be an integer, got " + (m.containsKey(name) ? show(m.get(name)) : "nothing"));
    }

    private static String required(Map<?, ?> m, String name) {
        if (m.get(name) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(
                '"' + name + "\" must be a string, got " + (m.containsKey(name) ? show(m.get(name)) : "nothing"));
    }

    private static @Nullable String optional(Map<?, ?> m, String name) {
        Object v = m.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IllegalArgumentException('"' + name + "\" must be a string or null, got " + show(v));
    }

    private static String show(@Nullable Object v) {
        return v instanceof String s ? '"' + s + '"' : String.valueOf(v);
    }

    private static String kindOf(@Nullable Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v == null ? "null" : show(v);
    }
}
