package io.github.zkharness.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps the console quiet when logback-classic is the SLF4J backend but nobody configured it. ZooKeeper 3.8 brings
 * logback-classic as a compile dependency (3.9 made it optional), and logback without a configuration file prints
 * everything from DEBUG up on the console: a 3-node start alone is hundreds of lines. On 3.9 without a backend the
 * same test prints nothing.
 *
 * <p>Only in that state (no configuration file was read and the root logger holds nothing but logback's default
 * console appender) {@link #quiet()} changes two loggers whose level nobody set: {@code org.apache.zookeeper} logs
 * from INFO up and no longer passes its events to the root's console appender, but to every other appender of the
 * root (so that harness-junit5's per-node log lines are still kept); {@code io.github.zkharness} logs from WARN up.
 * Any configuration of the user's (a {@code logback-test.xml}, {@code logback.configurationFile}, a programmatic
 * one) is left alone.
 *
 * <p>This class names logback, an optional dependency: {@link JvmGlobals} loads it only after checking that
 * logback-classic is on the class path.
 */
final class UnconfiguredLogback {

    /** logback's name for the console appender of its default configuration ({@code BasicConfigurator}). */
    private static final String DEFAULT_CONSOLE = "console";

    private UnconfiguredLogback() {}

    /** Quiets ZooKeeper and the harness if logback runs on its default configuration; returns whether it did. */
    static boolean quiet() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return false; // logback-classic is on the class path but another backend (or none) is bound
        }
        if (ConfigurationWatchListUtil.getMainWatchURL(context) != null) {
            return false; // configured from a file
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> others = new ArrayList<>();
        boolean defaultConsole = false;
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof ConsoleAppender && DEFAULT_CONSOLE.equals(appender.getName())) {
                defaultConsole = true;
            } else {
                others.add(appender);
            }
        }
        if (!defaultConsole) {
            return false; // configured in code
        }
        Logger zookeeper = context.getLogger("org.apache.zookeeper");
        if (zookeeper.getLevel() == null) {
            zookeeper.setLevel(Level.INFO);
            zookeeper.setAdditive(false);
            others.forEach(zookeeper::addAppender);
        }
        Logger harness = context.getLogger("io.github.zkharness");
        if (harness.getLevel() == null) {
            harness.setLevel(Level.WARN);
        }
        return true;
    }
}
