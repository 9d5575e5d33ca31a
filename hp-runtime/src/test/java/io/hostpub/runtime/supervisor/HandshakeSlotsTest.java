package io.hostpub.runtime.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.license.Licenses;
import io.hostpub.runtime.link.LinkContext;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every accepted connection gives its handshake slot back, however early it fails. */
class HandshakeSlotsTest {

    @TempDir
    java.nio.file.Path home;

    @Test
    void connectionsThatFailBeforeTheHandshakeReleaseTheirSlot() throws Exception {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        var config = RuntimeConfig.defaults(home).withSupervisorPort(server.getLocalPort());
        EventLog events = EventLog.silent("slots", Clock.systemUTC());
        AdminServer stub = (AdminServer) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AdminServer.class}, (p, m, a) -> null);
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        var context = new LinkContext("slots", 1, config, InstallationSecret.of(new byte[32]), events,
                new Licenses(events, 1_000), stub, new byte[] {1}, scheduler, Runnable::run,
                new io.hostpub.runtime.link.RosterMemory(), new io.hostpub.runtime.succession.Standby("slots", events));
        try (Supervisor supervisor = Supervisor.start(context, server)) {
            for (int i = 0; i < 2 * Supervisor.MAX_PENDING_HANDSHAKES; i++) {
                Socket closed = new Socket();
                closed.close(); // fails in the session before a single handshake byte
                supervisor.serve(closed);
            }
            await().untilAsserted(() -> assertThat(supervisor.pendingHandshakes()).isZero());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
