package io.github.zkharness.internal;

import io.github.zkharness.disk.ZkDisk;
import io.github.zkharness.network.ZkNetwork;
import java.util.Objects;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Builds the public facades whose constructors are private ({@link ZkNetwork}, {@link ZkDisk}), so that users can
 * neither subclass nor construct them: each facade class hands its constructor to this class once, when it is
 * initialized, and the machinery asks for facades here. (The JDK's own "shared secrets" do the same.)
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Facades {

    private static volatile Function<Network, ZkNetwork> networks;
    private static volatile Function<DiskControl, ZkDisk> disks;

    private Facades() {}

    /** Called once by {@link ZkNetwork}'s static initializer. */
    public static void networksAre(Function<Network, ZkNetwork> factory) {
        networks = registerOnce(networks, factory);
    }

    /** Called once by {@link ZkDisk}'s static initializer. */
    public static void disksAre(Function<DiskControl, ZkDisk> factory) {
        disks = registerOnce(disks, factory);
    }

    /** The public face of {@code network}. */
    public static ZkNetwork network(Network network) {
        initialize(ZkNetwork.class);
        return networks.apply(network);
    }

    /** The public face of {@code disk}. */
    public static ZkDisk disk(DiskControl disk) {
        initialize(ZkDisk.class);
        return disks.apply(disk);
    }

    private static <T> T registerOnce(T current, T factory) {
        Objects.requireNonNull(factory, "factory must not be null");
        if (current != null) {
            throw new IllegalStateException("a facade factory is registered once, by its own class");
        }
        return factory;
    }

    private static void initialize(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("zk-harness is incomplete on the class path: " + type.getName(), e);
        }
    }
}
