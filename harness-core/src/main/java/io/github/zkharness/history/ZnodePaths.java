package io.github.zkharness.history;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** What the recording clients need of znode paths, outside any history. */
final class ZnodePaths {

    private ZnodePaths() {}

    /** Creates {@code path} and its ancestors (unrecorded); false if that failed with a ZooKeeper error. */
    static boolean ensure(ZooKeeper zk, String path) throws InterruptedException {
        if (path.equals("/")) {
            return true;
        }
        int from = 1;
        while (true) {
            int slash = path.indexOf('/', from);
            String prefix = slash < 0 ? path : path.substring(0, slash);
            try {
                zk.create(prefix, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // fine
            } catch (KeeperException e) {
                return false;
            }
            if (slash < 0) {
                return true;
            }
            from = slash + 1;
        }
    }
}
