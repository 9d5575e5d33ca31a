package io.hostpub.runtime.events;

import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.admin.api.model.EventKind;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An instance's recent events: each is logged once through {@code System.Logger} (one line, with the
 * instance name and an event tag that tools can grep) and kept in a bounded ring for the admin view.
 */
public final class EventLog {

    public static final int CAPACITY = 200;
    private static final System.Logger LOG = System.getLogger("io.hostpub.runtime");

    private final String instance;
    private final Clock clock;
    private final boolean logging;
    private final Deque<EventInfo> recent = new ArrayDeque<>(CAPACITY);

    public EventLog(String instance, Clock clock) {
        this(instance, clock, true);
    }

    private EventLog(String instance, Clock clock, boolean logging) {
        this.instance = instance;
        this.clock = clock;
        this.logging = logging;
    }

    /** An event log that keeps events but writes no log lines (the warm-standby rehearsal). */
    public static EventLog silent(String instance, Clock clock) {
        return new EventLog(instance, clock, false);
    }

    public void record(EventKind kind, String message) {
        record(kind, Level.INFO, message);
    }

    public void warn(EventKind kind, String message) {
        record(kind, Level.WARNING, message);
    }

    private void record(EventKind kind, Level level, String message) {
        EventInfo event = new EventInfo(clock.instant(), kind, truncate(message));
        synchronized (recent) {
            if (recent.size() == CAPACITY) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        if (!logging) {
            return;
        }
        // "hostpub[<name>] <KIND> <epoch micros> <message>": the epoch lets benchmarks measure across processes
        LOG.log(level, () -> "hostpub[" + instance + "] " + kind + " @" + micros(event) + " " + message);
    }

    private static long micros(EventInfo event) {
        return event.at().getEpochSecond() * 1_000_000L + event.at().getNano() / 1_000;
    }

    private static String truncate(String message) {
        return message.length() <= 2_000 ? message : message.substring(0, 1_997) + "...";
    }

    /** The newest events, oldest first, at most {@code max}. */
    public List<EventInfo> newest(int max) {
        synchronized (recent) {
            List<EventInfo> all = new ArrayList<>(recent);
            return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, max)), all.size()));
        }
    }
}
