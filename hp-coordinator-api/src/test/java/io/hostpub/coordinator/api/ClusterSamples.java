package io.hostpub.coordinator.api;

import io.hostpub.coordinator.api.job.JobName;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.NodeName;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest.Operation;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.poll.AgentReply.AgentState;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.MonitorReply.MonitorState;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.api.report.ClusterReport.AgentReport;
import io.hostpub.coordinator.api.report.ClusterReport.MonitorReport;
import io.hostpub.coordinator.api.report.ClusterReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One sample of every body on the cluster wire, by the name its vector has in {@code cluster-vectors.txt}. */
final class ClusterSamples {

    static final Instant AT = Instant.parse("2026-12-01T06:00:00Z");
    static final ElectionValue ELECTION = new ElectionValue(7, "6f1c2a90-monitor");
    static final JobSpec SPEC = new JobSpec("web/clone-1", List.of("java", "-jar", "clone.jar", "--port", "8081",
            "--war", "/srv/hostpub/wars/web/web##0002.war"), Map.of("HOSTPUB_HOME", "/srv/hostpub"), 8081,
            io.hostpub.coordinator.api.job.HealthCheck.http("/HostPublisher/health"), "0002");
    /** Rollout 2 of web: clone-1 serves 0002, clone-2 is being replaced, clone-3 waits. */
    static final io.hostpub.coordinator.api.rollout.Rollout ROLLOUT = new io.hostpub.coordinator.api.rollout.Rollout(
            "web", 5, 2, new io.hostpub.coordinator.api.rollout.Rollout.Version("0001",
                    "/srv/hostpub/wars/web/web##0001.war", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            new io.hostpub.coordinator.api.rollout.Rollout.Version("0002", "/srv/hostpub/wars/web/web##0002.war",
                    "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"), 1, 0, 120_000,
            io.hostpub.coordinator.api.rollout.Rollout.Phase.ROLLING, Map.of(
                    "web/clone-1", new io.hostpub.coordinator.api.rollout.Rollout.Step("0002",
                            io.hostpub.coordinator.api.rollout.Rollout.StepState.DONE, AT),
                    "web/clone-2", new io.hostpub.coordinator.api.rollout.Rollout.Step("0002",
                            io.hostpub.coordinator.api.rollout.Rollout.StepState.REPLACING, AT),
                    "web/clone-3", new io.hostpub.coordinator.api.rollout.Rollout.Step("0001",
                            io.hostpub.coordinator.api.rollout.Rollout.StepState.WAITING, AT)), 0, "ops (hpctl)", AT,
            AT, "web/clone-1 serves version 0002");
    static final JobStatistics STATS = new JobStatistics(59_000, 1_000, 1, 1);
    static final JobStatus STATUS = new JobStatus(SPEC, "n1", JobState.RUNNING, 4242, AT, false, 137, STATS, true,
            List.of(new io.hostpub.coordinator.api.job.JobIncident(AT, 4100, "HUNG", "process 4100 is stopped (state"
                    + " T, SIGSTOP or a debugger) (3 failed look(s) in a row, every 1000 ms)",
                    "/srv/hostpub/nodes/n1/evidence/web_clone-1-4100-20261201T060000.000.txt",
                    "hostpub: job web/clone-1 (pid 4100) HUNG at 2026-12-01T06:00:00Z")));
    /** Two minutes of web/clone-1: 115 s up, 5 s down in one outage, repaired by a new process. */
    static final io.hostpub.coordinator.api.job.JobAvailability AVAILABILITY = availability();
    static final OperatorIntent INTENT = new OperatorIntent(List.of("web/clone-2"), List.of("n3"));
    static final ChildStatus CHILD = new ChildStatus("n1", "agent", ChildState.UP, "127.0.0.2:30100", 4100,
            "0b7e-agent", AT, STATS);

    private ClusterSamples() {
    }

    private static io.hostpub.coordinator.api.job.JobAvailability availability() {
        var a = io.hostpub.coordinator.api.job.JobAvailability.startingAt(AT);
        for (int s = 1; s <= 120; s++) {
            a = a.account(AT.plusSeconds(s), s < 60 || s >= 65, s < 60 ? 4100 : s >= 65 ? 4242 : 0, true);
        }
        return a;
    }

    /** Sample name -> body; the name's first part is the body's type. */
    static Map<String, Object> all() {
        Map<String, Object> samples = new LinkedHashMap<>();
        samples.put("NoBody", NoBody.INSTANCE);
        samples.put("Poll", new Poll("local/l1", ELECTION, "127.0.0.2:41000"));
        samples.put("AgentReply", new AgentReply("n1", "0b7e-agent", 4100, AgentState.RUNNING, ELECTION,
                List.of(STATUS), 0));
        samples.put("AgentReply.status", new AgentReply("n2", "9a1d-agent", 4200, AgentState.RUNNING,
                ElectionValue.NONE, List.of(), 2));
        samples.put("MonitorReply", new MonitorReply("local/l1", "6f1c2a90-monitor", 4300, MonitorState.ACTIVE,
                ELECTION, List.of(CHILD), INTENT, null, Map.of("web/clone-1", AVAILABILITY)));
        samples.put("MonitorReply.storeProblem", new MonitorReply("local/l2", "7a2e-monitor", 4400,
                MonitorState.ACTIVE, ELECTION, List.of(), OperatorIntent.NONE,
                "journal store /srv/hostpub/coordinator/store.journal: No space left on device"
                        + " (since 2026-12-01T06:00:00Z, 12 failed cycle(s))"));
        samples.put("JobSpec", SPEC);
        samples.put("JobStatus", STATUS);
        samples.put("JobName", new JobName("web/clone-1"));
        samples.put("NodeName", new NodeName("n3"));
        samples.put("OperatorIntent", INTENT);
        samples.put("OperatorRequest", new OperatorRequest(Operation.STOP_JOB, "web/clone-2"));
        samples.put("OperatorRequest.abortRollout", new OperatorRequest(Operation.ABORT_ROLLOUT, "web",
                "admin (hpadmin)"));
        samples.put("OperatorReceipt", new OperatorReceipt("local/l1", INTENT));
        samples.put("ClusterReport", new ClusterReport("journal /srv/hostpub/coordinator", 1000, AT,
                List.of(new MonitorReport("local/l1", null, "ACTIVE", 4300, "n1", "127.0.0.2:30200", 7, List.of(CHILD),
                        INTENT, null, null, new ClusterReport.Standby("n2", 4301))),
                List.of(new AgentReport("n1", "127.0.0.2:30100", "local/l1", "RUNNING", 4100, List.of(STATUS), 0)),
                List.of(new io.hostpub.coordinator.api.operator.ShutdownOrder("local/l2", AT, "ops (hpctl)")),
                List.of(ROLLOUT)));
        samples.put("CheckpointSave", new io.hostpub.coordinator.api.checkpoint.CheckpointSave("counter/job-1",
                "5b1d6a52-token", "42".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        samples.put("CheckpointQuery", new io.hostpub.coordinator.api.checkpoint.CheckpointQuery("counter/job-1",
                "5b1d6a52-token"));
        samples.put("Checkpoint", new io.hostpub.coordinator.api.checkpoint.Checkpoint("counter/job-1", 42, AT, "n1",
                4242, "42".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        samples.put("WarPieceQuery", new io.hostpub.coordinator.api.rollout.WarPieceQuery("web", "0002",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1048576));
        samples.put("WarPiece", new io.hostpub.coordinator.api.rollout.WarPiece(1048580, 1048576,
                "test".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        samples.put("ClusterRefusal.Body", new ClusterRefusal.Body("no job web/clone-9 under local/l1"));
        return samples;
    }
}
