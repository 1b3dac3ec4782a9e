package io.github.zkharness.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Builds the public facades whose constructors are private ({@code ZkNetwork}, {@code ZkDisk}), so that users can
 * neither subclass nor construct them: each facade class hands its constructor to this class once, when it is
 * initialized, and the public API asks for facades here. (The JDK's own "shared secrets" do the same.) This class
 * names no facade type, so the internal packages stay below the public one.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Facades {

    private static final Map<Class<?>, Function<Object, ?>> FACTORIES = new ConcurrentHashMap<>();

    private Facades() {}

    /**
     * Called once by a facade's static initializer: {@code factory} builds a {@code facade} over its internal
     * {@code part}.
     */
    public static <P, F> void register(Class<F> facade, Class<P> part, Function<P, F> factory) {
        Objects.requireNonNull(factory, "factory must not be null");
        Function<Object, ?> typed = p -> factory.apply(part.cast(p));
        if (FACTORIES.putIfAbsent(facade, typed) != null) {
            throw new IllegalStateException(facade.getName() + " registers its factory once, from its own class");
        }
    }

    /** The public {@code facade} over {@code part}. */
    public static <F> F create(Class<F> facade, Object part) {
        Objects.requireNonNull(part, "part must not be null");
        try {
            Class.forName(facade.getName(), true, facade.getClassLoader()); // runs its static initializer
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("zk-harness is incomplete on the class path: " + facade.getName(), e);
        }
        return facade.cast(FACTORIES.get(facade).apply(part));
    }
}
