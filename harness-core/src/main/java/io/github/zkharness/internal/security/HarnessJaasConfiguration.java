package io.github.zkharness.internal.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apiguardian.api.API;

/**
 * The JVM's JAAS {@link Configuration} while an ensemble with SASL users runs: it serves the sections the harness
 * names ({@code zkharness-...}) and hands every other name to the configuration that was installed before it, so a
 * test's own JAAS sections keep working. Installed and removed by {@code JvmGlobals} only (the JDK keeps one
 * configuration per JVM).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HarnessJaasConfiguration extends Configuration {

    /** The prefix of every section the harness serves. */
    public static final String PREFIX = "zkharness-";

    private static final String DIGEST_LOGIN_MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";

    private final Configuration previous;
    private final Map<String, AppConfigurationEntry[]> sections = new ConcurrentHashMap<>();

    /** Serves harness sections, and {@code previous}'s (null: none) for every other name. */
    public HarnessJaasConfiguration(Configuration previous) {
        this.previous = previous;
    }

    /** The configuration that was installed before this one (null if none could be read). */
    public Configuration previous() {
        return previous;
    }

    /** Serves {@code name} (a server section) with DIGEST-MD5 users: user name to password. */
    public void putServer(String name, Map<String, String> users) {
        Map<String, String> options = new java.util.HashMap<>();
        users.forEach((user, password) -> options.put("user_" + user, password));
        sections.put(name, entry(options));
    }

    /** Serves {@code name} (a client section) as {@code user} with {@code password}. */
    public void putClient(String name, String user, String password) {
        sections.put(name, entry(Map.of("username", user, "password", password)));
    }

    /** Stops serving every section whose name starts with {@code prefix}. */
    public void removeAll(String prefix) {
        sections.keySet().removeIf(n -> n.startsWith(prefix));
    }

    /** Whether it serves no harness section any more. */
    public boolean isEmpty() {
        return sections.isEmpty();
    }

    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        AppConfigurationEntry[] mine = sections.get(name);
        if (mine != null) {
            return mine.clone();
        }
        return previous == null || name.startsWith(PREFIX) ? null : previous.getAppConfigurationEntry(name);
    }

    @Override
    public void refresh() {
        if (previous != null) {
            previous.refresh();
        }
    }

    private static AppConfigurationEntry[] entry(Map<String, String> options) {
        return new AppConfigurationEntry[] {
            new AppConfigurationEntry(
                    DIGEST_LOGIN_MODULE, AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.copyOf(options))
        };
    }
}
