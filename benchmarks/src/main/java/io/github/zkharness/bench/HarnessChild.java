package io.github.zkharness.bench;

/**
 * zk-harness's side in a child JVM of its own ({@link ChildJvm}): what the benchmark measures in a fresh JVM, the
 * cold start, so that both sides start from the same nothing. Command: {@code ready N}.
 */
public final class HarnessChild {

    private HarnessChild() {}

    public static void main(String[] args) throws Exception {
        ChildJvm.serve(c -> switch (c[0]) {
            case "ready" -> HarnessScenarios.ready(Integer.parseInt(c[1]), true);
            default -> throw new IllegalArgumentException("unknown command: " + String.join(" ", c));
        });
    }
}
