package io.github.zkharness.reliability;

import io.github.zkharness.ZkEnsemble;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * A user's {@code main} that forgets {@code close()}, run in a child JVM by {@link ForgottenCloseTests}: it starts a
 * 3-voter ensemble, writes through a client it also forgets, prints where the ensemble keeps its directories, and
 * then either returns ({@code return}) or exits the JVM ({@code exit}).
 */
public final class ForgottenCloseChild {

    private ForgottenCloseChild() {}

    public static void main(String[] args) throws Exception {
        ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
        ZooKeeper client = zk.newZooKeeper();
        client.create("/forgotten", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        System.out.println("directories " + zk.baseDirectory());
        System.out.flush();
        if (args.length > 0 && args[0].equals("exit")) {
            System.exit(0);
        }
    }
}
