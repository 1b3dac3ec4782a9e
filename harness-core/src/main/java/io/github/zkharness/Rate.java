package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * A data rate, for {@link ZkNetwork#bandwidth(io.github.zkharness.ZkNode, Rate)}: {@code Rate.kibPerSecond(64)}
 * reads as what it means, where a bare {@code 65536} did not.
 *
 * @param bytesPerSecond bytes per second, at least 1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Rate(long bytesPerSecond) {

    /**
     * Checks the value.
     *
     * @throws IllegalArgumentException unless {@code bytesPerSecond >= 1}
     */
    public Rate {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("a rate must be at least 1 byte per second, got " + bytesPerSecond);
        }
    }

    /** {@code n} bytes per second. */
    public static Rate bytesPerSecond(long n) {
        return new Rate(n);
    }

    /** {@code n} KiB (1,024 bytes) per second. */
    public static Rate kibPerSecond(long n) {
        return new Rate(Math.multiplyExact(n, 1024L));
    }

    /** {@code n} MiB (1,048,576 bytes) per second. */
    public static Rate mibPerSecond(long n) {
        return new Rate(Math.multiplyExact(n, 1024L * 1024L));
    }

    @Override
    public String toString() {
        return bytesPerSecond + " B/s";
    }
}
