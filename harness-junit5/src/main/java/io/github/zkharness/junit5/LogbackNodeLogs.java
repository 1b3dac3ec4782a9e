package io.github.zkharness.junit5;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Deque;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The logback side of {@link NodeLogs}, which is an optional dependency: this is the only class that names logback,
 * and it is loaded only after NodeLogs has seen logback on the class path.
 *
 * <p>An appender goes on the root logger and on every logger that does not pass its events up (additivity off, as
 * test configurations often set for {@code org.apache.zookeeper}), so that each event meets it exactly once,
 * whatever the configuration. Events below a logger's level are never made, so the lines are those the
 * configuration lets through.
 */
final class LogbackNodeLogs extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final String NAME = "zk-harness-node-logs";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private LogbackNodeLogs() {}

    /** Attaches the appender; returns {@code null}, or why it cannot (another SLF4J backend is bound). */
    static @Nullable String install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return "the SLF4J backend is "
                    + LoggerFactory.getILoggerFactory().getClass().getName() + ", not logback-classic";
        }
        ensureAttached();
        return null;
    }

    /** (Re)attaches the appender, e.g. after the logging configuration was reloaded. */
    static synchronized void ensureAttached() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(NAME) != null) {
            return;
        }
        LogbackNodeLogs appender = new LogbackNodeLogs();
        appender.setName(NAME);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
        for (Logger logger : context.getLoggerList()) {
            if (logger != root && !logger.isAdditive() && logger.getAppender(NAME) == null) {
                logger.addAppender(appender);
            }
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        Deque<String> buffer = NodeLogs.bufferOfCurrentThread();
        if (buffer == null) {
            return;
        }
        StringBuilder line = new StringBuilder(160)
                .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
                .append(' ')
                .append(event.getLevel())
                .append(" [")
                .append(event.getThreadName())
                .append("] ")
                .append(shortName(event.getLoggerName()))
                .append(" - ")
                .append(event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
        }
        NodeLogs.append(buffer, line.toString());
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
