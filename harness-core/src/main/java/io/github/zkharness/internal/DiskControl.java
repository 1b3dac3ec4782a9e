package io.github.zkharness.internal;

import io.github.zkharness.DiskDamage;
import io.github.zkharness.DiskFailure;
import io.github.zkharness.Fault;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/** What {@link io.github.zkharness.ZkDisk} delegates to: the disks of one node, checked and applied. */
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

    List<DiskDamage> pendingDamage();

    DiskDamage truncateLogTail();

    DiskDamage corruptLog();

    DiskDamage deleteSnapshot();

    DiskDamage corruptSnapshot();
}
