package io.github.zkharness.internal.ensemble;

import io.github.zkharness.ZkHarnessException;

/** A port of ours was taken between allocation and bind: the first start is retried with new ports. */
final class PortConflict extends ZkHarnessException {

    private static final long serialVersionUID = 1L;

    PortConflict(String message) {
        super(message);
    }
}
