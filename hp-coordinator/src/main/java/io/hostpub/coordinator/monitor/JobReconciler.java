package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.Route;
import io.hostpub.coordinator.api.job.JobName;
import io.hostpub.coordinator.api.job.JobAvailability;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.rollout.RolloutKeeper;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A local coordinator's placement, each active cycle: compares the jobs its applications want with what the agents
 * report and acts on the difference. A missing job is placed on the least loaded node that may take it
 * ({@link Placement}); a job that failed out of a node moves elsewhere; a duplicate is stopped; a held job is stopped;
 * a job on a drained node moves; a job nobody wants is stopped. Waits for a node whose agent is being restarted, unless
 * that node was given up. The applications are the plan in force ({@link LivePlan}): a live change is acted on in the
 * next cycle. A running job whose command is no longer the wanted one (a live change, a rollout's new version) is
 * stopped and placed again with the new command: during a rollout when the rollout replaces that member
 * ({@link RolloutKeeper}), otherwise one member of an application at a time, while all its others serve.
 */
final class JobReconciler {

    private static final System.Logger LOG = System.getLogger(JobReconciler.class.getName());

    private final String position;
    private final LivePlan live;
    private volatile ClusterPlan plan; // the plan in force, read again at each cycle (applications change live)
    private final MonitorMemory memory;
    private final ClusterClient client;
    private final Clock clock;
    private final RolloutKeeper rollouts;

    JobReconciler(String position, ClusterPlan plan, CoordinatorStore store, MonitorMemory memory,
            ClusterClient client, Clock clock) {
        this.position = position;
        this.live = new LivePlan(plan, store);
        this.plan = live.current();
        this.memory = memory;
        this.client = client;
        this.clock = clock;
        this.rollouts = new RolloutKeeper(position, store, clock);
    }

    /**
     * The job of {@code app}'s member {@code member}: its name, its command with port, member and the WAR of its
     * version filled in.
     */
    static JobSpec spec(Application app, int member, Optional<Version> version) {
        int port = app.port(member);
        String war = version.map(Version::war).orElse("");
        List<String> command = app.command().stream().map(part -> part.replace("{port}", String.valueOf(port))
                .replace("{member}", String.valueOf(member)).replace(Application.WAR, war)).toList();
        return new JobSpec(LivePlan.jobName(app, member), command, app.environment(), port,
                app.health(), version.map(Version::label).orElse(null));
    }

    /** Every job this coordinator's applications want, by name, in plan order. */
    Map<String, JobSpec> desired() {
        Map<String, JobSpec> desired = new LinkedHashMap<>();
        for (Application app : plan.applicationsOf(position)) {
            for (int i = 1; i <= app.count(); i++) {
                JobSpec spec = spec(app, i, rollouts.version(app, LivePlan.jobName(app, i)));
                desired.put(spec.name(), spec);
            }
        }
        return desired;
    }

    void reconcile(Map<String, ChildTrack> agents) {
        plan = live.current();
        Map<String, List<JobStatus>> reported = new HashMap<>();
        Map<String, Placement.NodeLoad> loads = new TreeMap<>();
        for (ChildTrack agent : agents.values()) {
            boolean alive = agent.state == ChildState.UP;
            List<JobStatus> jobs = alive ? agent.jobs : List.of();
            Set<String> parties = new HashSet<>();
            int live = 0;
            for (JobStatus job : jobs) {
                reported.computeIfAbsent(job.name(), k -> new ArrayList<>()).add(job);
                if (!job.failedOut()) {
                    live++;
                    applicationOf(job.name()).ifPresent(app -> parties.add(Placement.party(app)));
                }
            }
            // a drained node takes nothing new
            loads.put(agent.name, new Placement.NodeLoad(agent.name, alive && !memory.drained.contains(agent.name),
                    live, parties));
        }
        Map<String, JobStatus> running = new HashMap<>();
        reported.forEach((name, jobs) -> jobs.stream().filter(j -> !j.failedOut()).findFirst()
                .ifPresent(job -> running.put(name, job)));
        rollouts.cycle(plan.applicationsOf(position), running);
        Map<String, JobSpec> desired = desired();
        memory.availability.keySet().retainAll(desired.keySet());
        Set<String> notServing = new HashSet<>();
        desired.keySet().stream().filter(name -> !serving(running.get(name))).forEach(name -> notServing.add(
                name.substring(0, name.indexOf('/'))));
        for (JobSpec spec : desired.values()) {
            reconcile(spec, applicationOf(spec.name()).orElseThrow(), reported.getOrDefault(spec.name(), List.of()),
                    loads, agents, notServing);
        }
        for (Map.Entry<String, List<JobStatus>> entry : reported.entrySet()) {
            if (!desired.containsKey(entry.getKey())) {
                for (JobStatus stray : entry.getValue()) {
                    callAgent(stray.node(), ClusterRoutes.JOB_STOP, new JobName(stray.name()), "stop undesired job");
                }
                memory.placements.remove(entry.getKey());
            }
        }
    }

    private void reconcile(JobSpec spec, Application app, List<JobStatus> reports,
            Map<String, Placement.NodeLoad> loads, Map<String, ChildTrack> agents, Set<String> notServing) {
        String name = spec.name();
        for (JobStatus failed : reports) {
            if (failed.failedOut()) {
                memory.excluded.computeIfAbsent(name, k -> new HashSet<>()).add(failed.node());
                memory.jobStatistics.merge(name, failed.statistics(), (a, b) -> b);
                LOG.log(Level.WARNING, "monitor {0}: job {1} failed out of node {2}: moving it", position, name,
                        failed.node());
                callAgent(failed.node(), ClusterRoutes.JOB_FORGET, new JobName(name), "forget failed-out job");
                if (failed.node().equals(memory.placements.get(name))) {
                    memory.placements.remove(name);
                }
            }
        }
        List<JobStatus> live = reports.stream().filter(j -> !j.failedOut()).toList();
        live.forEach(j -> memory.jobStatistics.put(name, j.statistics()));
        account(name, live);
        if (memory.held.contains(name)) {
            for (JobStatus running : live) {
                if (running.state() != JobState.WANTSTOP) {
                    callAgent(running.node(), ClusterRoutes.JOB_STOP, new JobName(name), "stop held job");
                }
            }
            return;
        }
        Set<String> drained = memory.drained;
        boolean onlyOnDrained = !live.isEmpty() && live.stream().allMatch(j -> drained.contains(j.node()));
        if (live.size() > 1) {
            stopDuplicates(name, live);
            return;
        }
        if (live.size() == 1 && !onlyOnDrained) {
            memory.placements.put(name, live.get(0).node());
            replaceIfChanged(spec, live.get(0), notServing);
            return;
        }
        String placed = memory.placements.get(name);
        if (placed != null && !onlyOnDrained && !drained.contains(placed)) {
            ChildTrack agent = agents.get(placed);
            boolean excludedThere = memory.excluded.getOrDefault(name, Set.of()).contains(placed);
            if (agent != null && agent.state != ChildState.UP && !excludedThere
                    && !agent.givenUp(ChildRestarter.restartGrace(plan), clock.instant())) {
                return; // its node's agent is being restarted: it will re-adopt or restart the job
            }
        }
        place(spec, app, loads);
    }

    /**
     * Stops a running job whose command is no longer the wanted one, so that it is placed again with the new one:
     * when its rollout replaces it, or (no rollout) when every other member of its application serves.
     */
    private void replaceIfChanged(JobSpec wanted, JobStatus running, Set<String> notServing) {
        if (running.spec().equals(wanted) || running.state() == JobState.WANTSTOP) {
            return;
        }
        String app = wanted.application();
        boolean now = rollouts.replaceable(app, wanted.name()).orElse(!notServing.contains(app));
        if (now && callAgent(running.node(), ClusterRoutes.JOB_STOP, new JobName(wanted.name()), "replace job")) {
            notServing.add(app);
            LOG.log(Level.INFO, "monitor {0}: replacing job {1} on node {2}: {3}", position, wanted.name(),
                    running.node(), Objects.equals(running.spec().version(), wanted.version())
                            ? "its command changed" : "version " + running.spec().version() + " -> "
                            + wanted.version());
        }
    }

    private static boolean serving(JobStatus job) {
        return job != null && job.state() == JobState.RUNNING && Boolean.TRUE.equals(job.healthy());
    }

    /** The job's availability: up while one of its processes runs and passes its health looks. */
    private void account(String name, List<JobStatus> live) {
        Instant now = clock.instant();
        boolean up = live.stream().anyMatch(j -> j.state() == JobState.RUNNING && Boolean.TRUE.equals(j.healthy()));
        long pid = live.stream().mapToLong(JobStatus::pid).filter(p -> p != 0).findFirst().orElse(0L);
        memory.availability.compute(name, (job, seen) -> (seen == null ? JobAvailability.startingAt(now) : seen)
                .account(now, up, pid, !memory.held.contains(name)));
    }

    /** Keeps the job where it was placed (or on the first undrained node) and stops it everywhere else. */
    private void stopDuplicates(String name, List<JobStatus> live) {
        String keep = live.stream().map(JobStatus::node).filter(n -> n.equals(memory.placements.get(name))
                && !memory.drained.contains(n)).findFirst().orElse(live.stream().map(JobStatus::node)
                .filter(n -> !memory.drained.contains(n)).findFirst().orElse(live.get(0).node()));
        for (JobStatus duplicate : live) {
            if (!duplicate.node().equals(keep)) {
                LOG.log(Level.WARNING, "monitor {0}: job {1} runs on {2} and {3}: stopping it on {3}", position, name,
                        keep, duplicate.node());
                callAgent(duplicate.node(), ClusterRoutes.JOB_STOP, new JobName(name), "stop duplicate");
            }
        }
        memory.placements.put(name, keep);
    }

    private void place(JobSpec spec, Application app, Map<String, Placement.NodeLoad> loads) {
        String name = spec.name();
        Set<String> avoid = new HashSet<>(memory.excluded.getOrDefault(name, Set.of()));
        Optional<String> target = Placement.choose(app, loads.values(), avoid);
        if (target.isEmpty() && !avoid.isEmpty()) {
            // every allowed node failed it once: forget those failures and try them again
            memory.excluded.remove(name);
            target = Placement.choose(app, loads.values(), Set.of());
        }
        if (target.isEmpty()) {
            LOG.log(Level.WARNING, "monitor {0}: no node can take job {1} now", position, name);
            return;
        }
        String chosen = target.get();
        if (callAgent(chosen, ClusterRoutes.JOB_START, spec, "start job")) {
            memory.placements.put(name, chosen);
            Placement.NodeLoad load = loads.get(chosen);
            Set<String> parties = new HashSet<>(load.parties());
            parties.add(Placement.party(app));
            loads.put(chosen, new Placement.NodeLoad(chosen, true, load.jobs() + 1, parties));
            LOG.log(Level.INFO, "monitor {0}: placed job {1} on node {2}", position, name, chosen);
        }
    }

    private Optional<Application> applicationOf(String jobName) {
        String app = jobName.substring(0, jobName.indexOf('/'));
        return plan.applicationsOf(position).stream().filter(a -> a.name().equals(app)).findFirst();
    }

    private <Q> boolean callAgent(String agentNode, Route<Q, ?> route, Q request, String what) {
        try {
            client.call(plan.agentEndpoint(agentNode), route, request, plan.pollInterval().multipliedBy(5));
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "monitor {0}: {1} on node {2} failed: {3}", position, what, agentNode,
                    e.getMessage());
            return false;
        }
    }
}
