package io.github.zkharness;

/** Base type of every failure zk-harness reports. Unchecked: tests should not have to declare it. */
public class ZkHarnessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ZkHarnessException(String message) {
        super(message);
    }

    public ZkHarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
