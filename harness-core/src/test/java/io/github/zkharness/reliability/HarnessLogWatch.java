package io.github.zkharness.reliability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects what the harness logs about port conflicts and exit requests, which it otherwise recovers from
 * quietly: a port taken between choosing and binding makes {@code start()} retry with new ports and log
 * {@code could not bind} / {@code retrying with new ports}; ZooKeeper asking the JVM to exit is logged by
 * {@code JvmGlobals}. Attached to the {@code io.github.zkharness} logger while open.
 */
final class HarnessLogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.github.zkharness");
    private final List<String> portConflicts = new CopyOnWriteArrayList<>();
    private final List<String> exitRequests = new CopyOnWriteArrayList<>();

    HarnessLogWatch() {
        setName("reliability-log-watch");
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message.contains("could not bind") || message.contains("retrying with new ports")) {
            portConflicts.add(message);
        }
        if (message.contains("asked the JVM to exit")) {
            exitRequests.add("[" + event.getThreadName() + "] " + message);
        }
    }

    List<String> portConflicts() {
        return List.copyOf(portConflicts);
    }

    List<String> exitRequests() {
        return List.copyOf(exitRequests);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
