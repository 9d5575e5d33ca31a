package io.hostpub.coordinator.jmx;

import io.hostpub.coordinator.agent.HostAgent;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.monitor.Monitor;
import java.util.List;

/** The coordinator processes' MBean views (outside the interfaces: a static interface method would be an operation). */
public final class CoordinatorViews {

    private CoordinatorViews() {
    }

    public static AgentView agent(HostAgent agent) {
        return new AgentView() {
            @Override
            public String getNode() {
                return agent.node();
            }

            @Override
            public String getState() {
                return agent.agentState().name();
            }

            @Override
            public int getJobs() {
                return jobs().size();
            }

            @Override
            public int getRunningJobs() {
                return (int) jobs().stream().filter(j -> j.state() == JobState.RUNNING).count();
            }

            @Override
            public String[] getJobStates() {
                return jobs().stream().map(j -> j.name() + " " + j.state() + " " + j.pid()).toArray(String[]::new);
            }

            private List<JobStatus> jobs() {
                try {
                    return agent.jobs();
                } catch (Exception e) {
                    return List.of(); // closing, or busy past its call timeout
                }
            }
        };
    }

    public static CoordinatorView coordinator(Monitor monitor, String node) {
        return new CoordinatorView() {
            @Override
            public String getPosition() {
                return monitor.position().position();
            }

            @Override
            public String getNode() {
                return node;
            }

            @Override
            public String getState() {
                return monitor.monitorState().name();
            }

            @Override
            public int getDesiredJobs() {
                return monitor.desiredJobs().size();
            }
        };
    }
}
