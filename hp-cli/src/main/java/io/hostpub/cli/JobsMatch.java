package io.hostpub.cli;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.operator.ClusterShutdown;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.view.ClusterView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Waits until the jobs the agents report are the wanted ones, each running and passing its health looks. */
final class JobsMatch {

    private final ClusterView view;

    JobsMatch(ClusterPlan plan, CoordinatorStore store, ClusterClient client) {
        this.view = new ClusterView(plan, store, client, Clock.systemUTC(), Duration.ofSeconds(2));
    }

    /** What still differs after {@code within} (empty: they match). */
    List<String> await(List<String> wanted, Duration within) throws Exception {
        return ClusterShutdown.await(() -> differences(wanted), within);
    }

    private List<String> differences(List<String> wanted) throws Exception {
        ClusterReport report = view.report();
        Set<String> serving = new HashSet<>();
        List<String> differ = new ArrayList<>();
        for (ClusterReport.AgentReport agent : report.agents()) {
            for (JobStatus job : agent.jobs()) {
                if (!wanted.contains(job.name())) {
                    differ.add("job " + job.name() + " still runs on " + agent.node() + " (" + job.state() + ")");
                } else if (job.state() == JobState.RUNNING && Boolean.TRUE.equals(job.healthy())) {
                    serving.add(job.name());
                }
            }
        }
        for (String job : wanted) {
            if (!serving.contains(job)) {
                differ.add("job " + job + " does not serve yet");
            }
        }
        return differ;
    }
}
