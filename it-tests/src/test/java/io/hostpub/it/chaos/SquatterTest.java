package io.hostpub.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain program (here: a tiny HTTP-ish server) holds the supervisor port while four real instances start. Each
 * reports the condition and keeps retrying; once the program exits, they elect one supervisor and all register.
 */
class SquatterTest {

    @TempDir
    Path home;

    private TestMachine machine;
    private ServerSocket squatter;

    @AfterEach
    void tearDown() throws IOException {
        if (squatter != null) {
            squatter.close();
        }
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void instancesReportTheSquatterKeepRetryingAndElectWhenItLeaves() throws Exception {
        machine = new TestMachine(home, null);
        squatter = new ServerSocket();
        squatter.setReuseAddress(true);
        squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), machine.port()));
        Thread server = new Thread(() -> {
            while (!squatter.isClosed()) {
                try (Socket s = squatter.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed
                }
            }
        }, "squatter");
        server.setDaemon(true);
        server.start();

        List<CloneProcess> clones = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            clones.add(machine.startRuntime("s" + i, 0));
        }
        for (CloneProcess clone : clones) {
            // reported clearly, and retried (at least twice within the back-off of up to 5 s)
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(clone.logLines())
                    .filteredOn(l -> l.contains("FOREIGN_PEER") && l.contains("port " + machine.port())
                            && l.contains("not a supervisor of this installation"))
                    .hasSizeGreaterThanOrEqualTo(2));
            assertThat(clone.isAlive()).isTrue();
            assertThat(clone.logLines()).noneMatch(l -> l.contains("-> SUPERVISOR") || l.contains("-> SUBORDINATE"));
        }

        squatter.close();
        MachineView view = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(machine::view,
                v -> v.instances().size() == 4);
        assertThat(view.instances()).filteredOn(i -> i.role() == Role.SUPERVISOR).hasSize(1);
        assertThat(view.instances().stream().map(InstanceSummary::name).sorted().toList())
                .containsExactly("s1", "s2", "s3", "s4");
    }
}
