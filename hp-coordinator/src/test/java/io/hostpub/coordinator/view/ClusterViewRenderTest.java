package io.hostpub.coordinator.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.report.ClusterReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code hpctl cluster} says when an agent's store refuses writes (a full disk once looked all ACTIVE/RUNNING). */
class ClusterViewRenderTest {

    @Test
    void anAgentWhoseStoreRefusesWritesIsShownSo() {
        ClusterReport report = new ClusterReport("journal /srv/hostpub/coordinator", 1000,
                Instant.parse("2026-12-01T10:00:00Z"),
                List.of(new ClusterReport.MonitorReport("local/l1", null, "ACTIVE", 42, "n1", "127.0.0.2:30200", 3,
                        List.of(), OperatorIntent.NONE, null)),
                List.of(new ClusterReport.AgentReport("n1", "127.0.0.2:30100", "local/l1", "RUNNING", 41, List.of(), 2),
                        new ClusterReport.AgentReport("n2", "127.0.0.3:30100", "local/l1", "RUNNING", 43, List.of(),
                                0)));
        String text = ClusterView.render(report);
        assertThat(text.lines().filter(l -> l.contains("agent n1")))
                .singleElement().asString().contains("STORE REFUSES WRITES: 2 job record(s)");
        assertThat(text.lines().filter(l -> l.contains("agent n2"))).singleElement().asString()
                .doesNotContain("STORE");
    }
}
