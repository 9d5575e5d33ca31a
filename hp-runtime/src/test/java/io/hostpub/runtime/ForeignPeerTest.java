package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.Role;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.license.LicenseException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program that is not our supervisor holds the port: clear events, retries, recovery when it leaves. */
class ForeignPeerTest {

    @TempDir
    java.nio.file.Path home;

    /** Accepts connections and answers like an HTTP server would. */
    private static ServerSocket squatter(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-squatter");
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void squatterIsReportedAndTheRuntimeTakesOverWhenItLeaves() throws Exception {
        try (RuntimeFixture machine = new RuntimeFixture(home)) {
            // a 300 ms wait is shorter than a new supervisor's reclaim window: grant at once here
            machine.configure(c -> c.withLicenseWaitMs(300).withLicenseReclaimMs(0));
            ServerSocket squatter = squatter(machine.port);
            HostpubRuntime runtime = HostpubRuntime.builder(machine.config("x")).unguarded()
                    .startWait(Duration.ofMillis(500)).start();
            machine.runtimes.add(runtime);
            assertThat(runtime.role()).isEqualTo(Role.ELECTING);
            await().untilAsserted(() -> assertThat(runtime.events().newest(20)).anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo(EventKind.FOREIGN_PEER);
                assertThat(e.message()).contains("port " + machine.port).contains("not a supervisor");
            }));
            assertThatThrownBy(() -> runtime.licenses().acquire(1)).isInstanceOf(LicenseException.class)
                    .hasMessageContaining("no supervisor elected within 300 ms");

            squatter.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> runtime.role() == Role.SUPERVISOR);
            runtime.licenses().acquire(1);
            assertThat(runtime.licenseTally().orElseThrow().inUse()).isEqualTo(1);
        }
    }

    @Test
    void supervisorOfAnotherInstallationIsForeign() throws Exception {
        try (RuntimeFixture other = new RuntimeFixture(Files.createDirectories(home.resolve("other")))) {
            HostpubRuntime theirs = other.start("theirs");
            java.nio.file.Path mine = Files.createDirectories(home.resolve("mine"));
            var config = io.hostpub.runtime.config.RuntimeConfig.defaults(mine).withSupervisorPort(other.port)
                    .withInstanceName("mine");
            HostpubRuntime runtime = HostpubRuntime.builder(config).unguarded().startWait(Duration.ofMillis(500)).start();
            try {
                await().untilAsserted(() -> assertThat(runtime.events().newest(20)).anySatisfy(e ->
                        assertThat(e.message()).contains("SECRET_MISMATCH")));
                assertThat(theirs.registryNames().orElseThrow()).doesNotContain("mine");
                await().untilAsserted(() -> assertThat(theirs.events().newest(20)).anySatisfy(e ->
                        assertThat(e.kind()).isEqualTo(EventKind.FOREIGN_PEER)));
            } finally {
                runtime.close();
            }
            assertThat(InstallationSecret.load(mine.resolve("conf/secret")).fingerprint())
                    .isNotEqualTo(other.secret().fingerprint());
        }
    }
}
