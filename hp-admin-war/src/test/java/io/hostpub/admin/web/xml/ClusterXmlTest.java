package io.hostpub.admin.web.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Phase;
import io.hostpub.coordinator.api.rollout.Rollout.Step;
import io.hostpub.coordinator.api.rollout.Rollout.StepState;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The XML cluster document carries what the JSON one does: shutdown orders, rollouts, job versions and health. */
class ClusterXmlTest {

    @Test
    void shutdownsRolloutsAndJobVersionsAreInTheXmlToo() {
        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        JobStatus job = new JobStatus(new JobSpec("shop/job-1", List.of("run"), Map.of(), 0, null, "0002"), "n1",
                JobState.RUNNING, 42, at, false, null, JobStatistics.NONE, true, null);
        Rollout rollout = new Rollout("shop", 3, 2, new Version("0001", "/w/shop##0001.war", "aa"),
                new Version("0002", "/w/shop##0002.war", "bb"), 1, 0, 30_000, Phase.ROLLING,
                Map.of("shop/job-1", new Step("0002", StepState.DONE, at)), 0, "alice", at, at, "started by alice");
        ClusterReport report = new ClusterReport("journal", 250, at, List.of(), List.of(new ClusterReport.AgentReport(
                "n1", "127.0.0.2:4000", "local/l1", "RUNNING", 7, List.of(job), 0)),
                List.of(new ShutdownOrder("local/l2", at, "bob")), List.of(rollout));

        String xml = XmlViews.marshal(report);

        assertThat(xml).contains("<job name=\"shop/job-1\"", "version=\"0002\"", "healthy=\"true\"",
                "<shutdown scope=\"local/l2\"", "by=\"bob\"", "<rollout application=\"shop\"", "to=\"0002\"",
                "phase=\"ROLLING\"", "<member name=\"shop/job-1\" version=\"0002\" state=\"DONE\"/>");
    }
}
