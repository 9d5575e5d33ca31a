package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.job.JobIncident;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.lifecycle.LifeCycle;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's side of its {@link HealthProber}: hands it the running jobs, and applies its results to the jobs on
 * the event thread, where all job state lives. A look decides whether the job counts as up (serving, not merely
 * alive); a hang is kept with the job, recorded, and its process killed, so its exit takes the path of any failure
 * (back-off, restart intensity).
 */
final class JobHealth extends LifeCycle<RuntimeException> {

    private static final System.Logger LOG = System.getLogger(JobHealth.class.getName());

    private final AgentSettings settings;
    private final ScheduledExecutorService events;
    private final Map<String, SupervisedJob> jobs; // the runner's, event thread only
    private final JournalBacklog journal;
    private final Clock clock;
    private final Consumer<StoreException> storeFailed;
    private final HealthProber prober;

    JobHealth(AgentSettings settings, ScheduledExecutorService events, Map<String, SupervisedJob> jobs,
            JournalBacklog journal, Clock clock, Consumer<StoreException> storeFailed) {
        super("job health of " + settings.node());
        this.settings = settings;
        this.events = events;
        this.jobs = jobs;
        this.journal = journal;
        this.clock = clock;
        this.storeFailed = storeFailed;
        this.prober = new HealthProber(settings.node(), settings.bind().getAddress(), settings.workDir(),
                this::running, new HealthProber.Listener() {
                    @Override
                    public void looked(String job, long pid, boolean passed) {
                        onEvents(() -> lookedAt(job, pid, passed));
                    }

                    @Override
                    public void hung(String job, long pid, JobIncident incident) {
                        onEvents(() -> hungJob(job, pid, incident));
                    }
                }, clock);
    }

    @Override
    protected void doStart() {
        prober.start();
    }

    @Override
    protected void doStop() {
        prober.close();
    }

    /** The jobs whose process runs, taken on the event thread (none while the agent is busy or closing). */
    private List<HealthProber.Running> running() {
        try {
            return events.submit(() -> {
                List<HealthProber.Running> running = new ArrayList<>();
                for (SupervisedJob job : jobs.values()) {
                    if (job.state() == JobState.RUNNING && job.process().isPresent()) {
                        running.add(new HealthProber.Running(job.spec().name(), job.process().get().pid(),
                                job.spec().httpPort(), job.spec().health()));
                    }
                }
                return running;
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return List.of(); // closing, or busy: the next tick asks again
        }
    }

    private void lookedAt(String name, long pid, boolean passed) {
        SupervisedJob job = jobs.get(name);
        if (job != null && job.process().map(p -> p.pid() == pid).orElse(false)) {
            job.looked(passed, clock.instant());
        }
    }

    private void hungJob(String name, long pid, JobIncident incident) throws StoreException {
        SupervisedJob job = jobs.get(name);
        ProcessHandle process = job == null ? null : job.process().filter(p -> p.pid() == pid).orElse(null);
        if (process == null || job.state() != JobState.RUNNING) {
            return; // it ended or was stopped meanwhile
        }
        job.hung(incident, clock.instant());
        LOG.log(Level.WARNING, "agent {0}: job {1} (pid {2}) HUNG: {3}; evidence in {4}; killing it",
                settings.node(), name, pid, incident.reason(), incident.evidence());
        journal.record(job);
        process.destroyForcibly();
    }

    private interface EventWork {
        void run() throws StoreException;
    }

    private void onEvents(EventWork work) {
        try {
            events.execute(() -> {
                try {
                    work.run();
                } catch (StoreException e) {
                    storeFailed.accept(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the agent is closing
        }
    }
}
