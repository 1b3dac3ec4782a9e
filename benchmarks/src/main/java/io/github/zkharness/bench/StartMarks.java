package io.github.zkharness.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The phases of zk-harness's last first start, as it logs them at DEBUG (logger
 * {@code io.github.zkharness.internal.ensemble.StartPhases}: each phase a key-value pair whose value is the
 * {@link System#nanoTime()} it was reached at), caught here so that a run's profile can show them on its own clock.
 */
final class StartMarks {

    private static final String LOGGER = "io.github.zkharness.internal.ensemble.StartPhases";
    private static volatile Map<String, Long> last = Map.of();
    private static boolean installed;

    private StartMarks() {}

    /** Starts catching (idempotent); the start log also goes wherever logback sends DEBUG of that logger. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                Map<String, Long> marks = new LinkedHashMap<>();
                if (event.getKeyValuePairs() != null) {
                    for (KeyValuePair kv : event.getKeyValuePairs()) {
                        if (kv.value instanceof Long nanos) {
                            marks.put(kv.key, nanos);
                        }
                    }
                }
                last = marks;
            }
        };
        appender.setContext(logger.getLoggerContext());
        appender.setName("zk-bench-start-marks");
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        installed = true;
    }

    /** The last start's phases: name to the {@link System#nanoTime()} it was reached at. */
    static Map<String, Long> lastMarks() {
        return last;
    }

    /** Forgets the last start's phases, before a run. */
    static void clear() {
        last = Map.of();
    }

    /** Adds the last start's phases to {@code profile}, on its clock. */
    static void addTo(Run.Profile profile) {
        last.forEach(profile::markAt);
    }
}
