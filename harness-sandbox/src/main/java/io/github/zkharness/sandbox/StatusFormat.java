package io.github.zkharness.sandbox;

import io.github.zkharness.NodeStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** How the sandbox prints nodes: an aligned table for people, one line of JSON for scripts. */
final class StatusFormat {

    private record Column(String header, Function<NodeStatus, String> value) {}

    private static final Column ID = new Column("id", s -> String.valueOf(s.id()));
    private static final Column ROLE = new Column("role", s -> lower(s.role()));
    private static final Column STATE = new Column("state", s -> lower(s.state()));
    private static final Column CLIENT = new Column("client address", s -> address(s.clientAddress()));
    private static final Column DATA_DIR = new Column("dataDir", s -> String.valueOf(s.dataDir()));

    private StatusFormat() {}

    /** The table printed at startup: id, role, client address, dataDir. */
    static List<String> startupTable(List<NodeStatus> nodes) {
        return table(nodes, List.of(ID, ROLE, CLIENT, DATA_DIR));
    }

    /** The table printed by {@code status}: id, role, state, client address, dataDir. */
    static List<String> statusTable(List<NodeStatus> nodes) {
        return table(nodes, List.of(ID, ROLE, STATE, CLIENT, DATA_DIR));
    }

    private static List<String> table(List<NodeStatus> nodes, List<Column> columns) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toList());
        for (NodeStatus node : nodes) {
            rows.add(columns.stream().map(c -> c.value().apply(node)).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                boolean last = i == widths.length - 1;
                line.append(last ? row.get(i) : Commands.pad(row.get(i), widths[i]) + "  ");
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * One line: a JSON array with one object per node, keys {@code id} (number), {@code role} (string),
     * {@code state} (string) and {@code clientPort} (number).
     */
    static String json(List<NodeStatus> nodes) {
        StringBuilder json = new StringBuilder("[");
        for (NodeStatus node : nodes) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"id\":")
                    .append(node.id())
                    .append(",\"role\":")
                    .append(Json.quote(lower(node.role())))
                    .append(",\"state\":")
                    .append(Json.quote(lower(node.state())))
                    .append(",\"clientPort\":")
                    .append(
                            node.clientAddress() == null
                                    ? "null"
                                    : node.clientAddress().getPort())
                    .append('}');
        }
        return json.append(']').toString();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String address(InetSocketAddress address) {
        return address == null ? "-" : address.getHostString() + ":" + address.getPort();
    }
}
