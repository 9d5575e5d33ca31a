package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes job records to the {@link JobJournal}, keeping those the store could not take (a full disk, a store that is
 * down) and writing them again every {@link #RETRY_MS} ms until it does. A failing store must never stop the agent
 * from supervising: a dead job was once left WANTRUN forever because recording its restart failed on a full disk. The
 * first failed write is reported (an ERROR line), later ones only counted, and the recovery is logged with the count.
 * A stale fence is not a store failure: it is passed on at once (this agent was superseded). Runs on the agent's
 * event thread only.
 */
final class JournalBacklog {

    private static final System.Logger LOG = System.getLogger(JournalBacklog.class.getName());
    static final long RETRY_MS = 1_000;

    private final String node;
    private final JobJournal journal;
    private final ScheduledExecutorService events;
    private final Consumer<StoreException> storeFailed;
    /** Job name to its latest state to write (empty: delete the record), oldest first. */
    private final Map<String, Optional<SupervisedJob>> pending = new LinkedHashMap<>();
    private ScheduledFuture<?> retry;
    private int failedWrites;

    JournalBacklog(String node, JobJournal journal, ScheduledExecutorService events,
            Consumer<StoreException> storeFailed) {
        this.node = node;
        this.journal = journal;
        this.events = events;
        this.storeFailed = storeFailed;
    }

    void record(SupervisedJob job) throws StaleEpochException {
        write(job.spec().name(), Optional.of(job));
    }

    void remove(String job) throws StaleEpochException {
        write(job, Optional.empty());
    }

    /** Records not yet in the store (for the agent's report). */
    int backlog() {
        return pending.size();
    }

    private void write(String name, Optional<SupervisedJob> job) throws StaleEpochException {
        if (!pending.isEmpty()) {
            pending.remove(name);
            pending.put(name, job); // behind the older ones: the retry writes them in order
            return;
        }
        try {
            apply(name, job);
        } catch (StaleEpochException e) {
            throw e;
        } catch (StoreException e) {
            pending.put(name, job);
            failedWrites = 1;
            storeFailed.accept(e);
            LOG.log(Level.WARNING, "agent {0}: keeping job records the store did not take; retrying every {1} ms"
                    + " (the jobs stay supervised meanwhile)", node, RETRY_MS);
            scheduleRetry();
        }
    }

    private void apply(String name, Optional<SupervisedJob> job) throws StoreException {
        if (job.isPresent()) {
            journal.record(job.get());
        } else {
            journal.remove(name);
        }
    }

    private void scheduleRetry() {
        if (retry == null || retry.isDone()) {
            try {
                retry = events.schedule(this::retry, RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the agent is closing: the next agent adopts from what the store has
            }
        }
    }

    private void retry() {
        for (Map.Entry<String, Optional<SupervisedJob>> entry : new ArrayList<>(pending.entrySet())) {
            try {
                apply(entry.getKey(), entry.getValue());
                pending.remove(entry.getKey(), entry.getValue());
            } catch (StaleEpochException e) {
                pending.clear();
                storeFailed.accept(e);
                return;
            } catch (StoreException e) {
                failedWrites++;
                scheduleRetry();
                return;
            }
        }
        LOG.log(Level.INFO, "agent {0}: the store takes writes again; job records up to date after {1} failed"
                + " write(s)", node, failedWrites);
        failedWrites = 0;
    }
}
