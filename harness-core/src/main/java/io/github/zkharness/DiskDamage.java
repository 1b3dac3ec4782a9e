package io.github.zkharness;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What one of {@link ZkDisk}'s at-rest damages did to a stopped node's files.
 *
 * @param nodeId      the server id
 * @param file        the file it damaged (a deleted one no longer exists)
 * @param description what it did, e.g. {@code cut log.100000001 of node 2 inside its last transaction (zxid
 *                    0x100000007): 5371 of 5423 bytes kept}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DiskDamage(int nodeId, Path file, String description) {

    /** Checks the components. */
    public DiskDamage {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(description, "description must not be null");
    }

    /** The description. */
    @Override
    public String toString() {
        return description;
    }
}
