package io.github.zkharness.junit5;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The clients the extension injected within one context (a test, or a class for {@code @BeforeAll} and constructor
 * parameters), closed newest first when that context ends: explicitly after each test, and by JUnit's store
 * otherwise. Kept under a key of the context's own id, so that a test never reaches its class's clients.
 */
@SuppressWarnings("deprecation") // CloseableResource: JUnit 5.10 to 5.12 close only this; later ones AutoCloseable
final class InjectedClients implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final Deque<AutoCloseable> clients = new ArrayDeque<>();
    private boolean closed;

    static InjectedClients of(ExtensionContext context) {
        return context.getStore(ZkClusterExtension.NAMESPACE)
                .getOrComputeIfAbsent(key(context), k -> new InjectedClients(), InjectedClients.class);
    }

    /** Closes the clients injected in {@code context}, if any. */
    static void closeFor(ExtensionContext context) {
        InjectedClients clients =
                context.getStore(ZkClusterExtension.NAMESPACE).remove(key(context), InjectedClients.class);
        if (clients != null) {
            clients.close();
        }
    }

    private static String key(ExtensionContext context) {
        return "clients:" + context.getUniqueId();
    }

    /** Adds a client to close later; closes it at once if this context has ended already. */
    <T extends AutoCloseable> T add(T client) throws Exception {
        synchronized (this) {
            if (!closed) {
                clients.push(client);
                return client;
            }
        }
        client.close();
        throw new IllegalStateException("the context that asked for this client has ended");
    }

    /**
     * Closes every client, newest first.
     *
     * @throws IllegalStateException after trying them all, if some could not be closed (the first cause attached)
     */
    @Override
    public void close() {
        IllegalStateException failure = null;
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                closed = true;
                next = clients.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (failure == null) {
                    failure = new IllegalStateException("could not close a client the extension injected: " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
