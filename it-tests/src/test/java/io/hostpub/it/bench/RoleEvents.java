package io.hostpub.it.bench;

import io.hostpub.testing.CloneProcess;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the event lines a runtime logs ({@code hostpub[name] KIND @<epoch micros> message}) so a benchmark can
 * time, across processes, when something happened inside each JVM.
 */
final class RoleEvents {
    private static final Pattern EVENT = Pattern.compile("hostpub\\[[^\\]]+] (\\w+) @(\\d+) (.*)$");

    private RoleEvents() {
    }

    /** Epoch micros of the first event of {@code kind} after {@code afterMicros} whose message contains {@code text}. */
    static OptionalLong first(CloneProcess process, String kind, String text, long afterMicros) {
        for (String line : process.logLines()) {
            Matcher m = EVENT.matcher(line);
            if (m.find() && m.group(1).equals(kind) && m.group(3).contains(text)) {
                long at = Long.parseLong(m.group(2));
                if (at > afterMicros) {
                    return OptionalLong.of(at);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** An event line: when (epoch micros) and its message. */
    record Line(long atMicros, String message) {
    }

    /** The first event of {@code kind} after {@code afterMicros} whose message contains {@code text}, with its message. */
    static java.util.Optional<Line> firstLine(CloneProcess process, String kind, String text, long afterMicros) {
        for (String line : process.logLines()) {
            Matcher m = EVENT.matcher(line);
            if (m.find() && m.group(1).equals(kind) && m.group(3).contains(text)) {
                long at = Long.parseLong(m.group(2));
                if (at > afterMicros) {
                    return java.util.Optional.of(new Line(at, m.group(3)));
                }
            }
        }
        return java.util.Optional.empty();
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
