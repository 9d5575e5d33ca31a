package io.hostpub.runtime.events;

import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.MachineEvent;
import io.hostpub.lifecycle.NamedThreads;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An instance's recent events: each is logged once through {@code System.Logger} (one line, with the
 * instance name and an event tag that tools can grep) and kept in a bounded ring for the admin view.
 */
public final class EventLog implements AutoCloseable {

    public static final int CAPACITY = 200;
    private static final System.Logger LOG = System.getLogger("io.hostpub.runtime");

    private final String instance;
    private final Clock clock;
    private final boolean logging;
    private final Deque<EventInfo> recent = new ArrayDeque<>(CAPACITY);
    private final Optional<MachineJournal> journal;
    private final long pid;
    /** Journal writes leave the thread that records (a role change on the failover path must not wait on a disk). */
    private final ExecutorService journalWriter;

    public EventLog(String instance, Clock clock) {
        this(instance, clock, true, Optional.empty(), 0);
    }

    /** An event log whose events also go to the machine's journal, under this instance's name and pid. */
    public EventLog(String instance, Clock clock, MachineJournal journal, long pid) {
        this(instance, clock, true, Optional.of(journal), pid);
    }

    private EventLog(String instance, Clock clock, boolean logging, Optional<MachineJournal> journal, long pid) {
        this.instance = instance;
        this.clock = clock;
        this.logging = logging;
        this.journal = journal;
        this.pid = pid;
        this.journalWriter = journal.isPresent() ? NamedThreads.whileBusy(instance + "-journal", 5) : null;
    }

    /** An event log that keeps events but writes no log lines (the warm-standby rehearsal). */
    public static EventLog silent(String instance, Clock clock) {
        return new EventLog(instance, clock, false, Optional.empty(), 0);
    }

    /**
     * Records in the machine's journal, under another instance's name, that it departed: what this instance saw of
     * it (its link ended) is the last the machine knows of it.
     */
    public void departed(String other, long otherPid, String message) {
        toJournal(new MachineEvent(clock.instant(), other, Math.max(0, otherPid), EventKind.LINK_DOWN, "departed: "
                + truncate(message)));
    }

    private void toJournal(MachineEvent event) {
        if (journal.isPresent()) {
            try {
                journalWriter.execute(() -> journal.get().append(event));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // recorded after close: the container's log has it
            }
        }
    }

    /** The machine's journal this log writes to, if any. */
    public Optional<MachineJournal> journal() {
        return journal;
    }

    /** Lets the journal writer finish what was recorded (a closing instance's last events), then stops it. */
    @Override
    public void close() {
        if (journalWriter != null) {
            journalWriter.shutdown();
            try {
                journalWriter.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        toJournal(new MachineEvent(event.at(), instance, pid, kind, event.message()));
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
