package io.github.zkharness.internal;

import io.github.zkharness.disk.DiskDamage;
import io.github.zkharness.disk.DiskFailure;
import io.github.zkharness.network.Fault;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/** What {@link io.github.zkharness.disk.ZkDisk} delegates to: the disks of one node, checked and applied. */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface DiskControl {

    int nodeId();

    boolean sharesOneDisk();

    Fault slowLog(Duration delay, Duration jitter);

    Fault slowSnapshots(Duration delay, Duration jitter);

    Fault fullLog();

    Fault fullSnapshots();

    List<Fault> faults();

    List<DiskFailure> failures();

    DiskDamage truncateLogTail();

    DiskDamage corruptLog();

    DiskDamage deleteSnapshot();

    DiskDamage corruptSnapshot();
}
