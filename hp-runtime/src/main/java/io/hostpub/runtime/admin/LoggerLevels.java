package io.hostpub.runtime.admin;

import io.hostpub.admin.api.model.LoggerLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The {@code java.util.logging} loggers that exist now, as the calling thread's log manager knows them (Tomcat's JULI
 * answers per web application; Jetty and the demo have the JVM's one), sorted by name, with the level set on each and
 * the level in force.
 */
final class LoggerLevels {

    /** A container has hundreds of loggers; an answer stays a few hundred KB at most. */
    static final int MAX = 5_000;

    private LoggerLevels() {
    }

    static List<LoggerLevel> list(int max) {
        LogManager manager = LogManager.getLogManager();
        List<String> names = Collections.list(manager.getLoggerNames());
        Collections.sort(names);
        List<LoggerLevel> loggers = new ArrayList<>();
        for (String name : names) {
            if (loggers.size() == max) {
                break;
            }
            Logger logger = manager.getLogger(name);
            if (logger != null && name.length() <= 1_000) { // collected meanwhile: it had no level of its own
                Level own = logger.getLevel();
                loggers.add(new LoggerLevel(name, own == null ? "" : own.getName(), effective(logger).getName()));
            }
        }
        return loggers;
    }

    private static Level effective(Logger logger) {
        for (Logger at = logger; at != null; at = at.getParent()) {
            if (at.getLevel() != null) {
                return at.getLevel();
            }
        }
        return Level.INFO; // the default of a root logger without a level
    }
}
