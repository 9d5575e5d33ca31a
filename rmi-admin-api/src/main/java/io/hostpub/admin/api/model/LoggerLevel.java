package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;

/**
 * One {@code java.util.logging} logger of an instance (as its web application sees them: in Tomcat, JULI keeps the
 * loggers of each application apart).
 *
 * @param name the logger's name, {@code ""} for the root logger
 * @param level the level set on it, {@code ""} when it inherits its parent's
 * @param effectiveLevel the level in force: its own, else the nearest ancestor's
 */
public record LoggerLevel(String name, String level, String effectiveLevel) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public LoggerLevel {
        Checks.text(name, "name", 1_000);
        Checks.text(level, "level", 32);
        Checks.text(effectiveLevel, "effectiveLevel", 32);
    }
}
