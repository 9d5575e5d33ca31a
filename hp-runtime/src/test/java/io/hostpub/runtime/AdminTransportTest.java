package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.admin.api.AdminException;
import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.locate.LocatorException;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.testing.FreePorts;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authenticated RMI transport and the admin operations, end to end. */
class AdminTransportTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;
    HostpubRuntime supervisor;

    @BeforeEach
    void setUp() {
        machine = new RuntimeFixture(home);
        supervisor = machine.start("sup");
        machine.start("sub");
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    @Test
    void rawRmiWithoutHandshakeIsClosedBeforeAnythingIsRead() throws Exception {
        int registryPort = supervisor.registryPort().orElseThrow();
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), registryPort)) {
            s.setSoTimeout(10_000);
            // the JRMP stream header an unauthenticated RMI client sends first: "JRMI", version 2, StreamProtocol
            s.getOutputStream().write(new byte[] {0x4a, 0x52, 0x4d, 0x49, 0x00, 0x02, 0x4b});
            s.getOutputStream().flush();
            // read as a handshake frame it is unknown code 0x4a: the server closes without a byte of RMI
            int answer;
            try {
                answer = s.getInputStream().read();
            } catch (java.net.SocketException reset) {
                answer = -1;
            }
            assertThat(answer).isEqualTo(-1);
        }
        assertThat(machine.locator().view(machine.address()).instances()).hasSize(2);
    }

    @Test
    void aLocatorWithAnotherSecretIsRefused() {
        MachineLocator stranger = new MachineLocator(InstallationSecret.of(new byte[32]));
        assertThatThrownBy(() -> stranger.view(machine.address())).isInstanceOf(LocatorException.class)
                .satisfies(e -> assertThat(((LocatorException) e).kind()).isEqualTo(LocatorException.Kind.AUTHENTICATION))
                .hasMessageContaining("SECRET_MISMATCH");
    }

    @Test
    void aMachineWithoutSupervisorIsUnreachable() throws Exception {
        var nobody = new io.hostpub.admin.api.locate.MachineAddress("127.0.0.1", FreePorts.next());
        assertThatThrownBy(() -> machine.locator().view(nobody)).isInstanceOf(LocatorException.class)
                .satisfies(e -> assertThat(((LocatorException) e).kind()).isEqualTo(LocatorException.Kind.UNREACHABLE))
                .hasMessageContaining("asked twice").hasMessageContaining("may be failing over");
    }

    /**
     * A supervisor failing over drops the first question (its old process closes the connection unanswered); the
     * locator asks once more and gets the answer of the new one. Here the port of the machine is a relay that closes
     * its first connection without a byte and passes every later one to the real supervisor.
     */
    @Test
    void aQuestionDroppedByASupervisorFailingOverIsAskedAgain() throws Exception {
        try (java.net.ServerSocket relay = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread relaying = new Thread(() -> relay(relay, machine.address().port()), "hostpub-test-relay");
            relaying.setDaemon(true);
            relaying.start();
            var failingOver = new io.hostpub.admin.api.locate.MachineAddress("127.0.0.1", relay.getLocalPort());
            assertThat(machine.locator().view(failingOver).instances()).hasSize(2);
        }
    }

    /** Closes the first connection at once; pipes each later one to the supervisor port. */
    private static void relay(java.net.ServerSocket relay, int supervisorPort) {
        try {
            relay.accept().close();
            while (true) {
                Socket client = relay.accept();
                Socket supervisor = new Socket(InetAddress.getLoopbackAddress(), supervisorPort);
                pipe(client, supervisor);
                pipe(supervisor, client);
            }
        } catch (java.io.IOException closed) {
            // the test ended
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread copy = new Thread(() -> {
            try (from; to) {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (java.io.IOException ended) {
                // either side closed
            }
        }, "hostpub-test-pipe");
        copy.setDaemon(true);
        copy.start();
    }

    @Test
    void adminOperationsValidateTheirArguments() throws Exception {
        AdminServer sub = machine.locator().locate(machine.address()).instance("sub").orElseThrow().admin();
        assertThatThrownBy(() -> sub.setLogLevel("io.hostpub", "LOUD")).isInstanceOf(AdminException.class)
                .hasMessageContaining("level must be one of");
        sub.setLogLevel("io.hostpub.test", "fine");
        assertThat(java.util.logging.Logger.getLogger("io.hostpub.test").getLevel())
                .isEqualTo(java.util.logging.Level.FINE);
        assertThatThrownBy(sub::licenseTally).isInstanceOf(AdminException.class).hasMessageContaining("not the supervisor");
        assertThat(sub.threadDump()).contains("hostpub-sub-");
        assertThat(sub.detail().summary().name()).isEqualTo("sub");
        assertThat(sub.events(5)).isNotEmpty().hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void remoteShutdownClosesTheInstanceGracefully() throws Exception {
        AdminServer sub = machine.locator().locate(machine.address()).instance("sub").orElseThrow().admin();
        sub.shutdown();
        HostpubRuntime subRuntime = machine.runtimes.get(1);
        assertThat(subRuntime.awaitClosed(java.time.Duration.ofSeconds(10))).isTrue();
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(supervisor.registryNames().orElseThrow()).containsExactlyInAnyOrder("main", "sup"));
    }

    /** What a hostile peer puts on the wire: a class on no allow-list (and not a remote object). */
    static final class Smuggled implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean instantiated;
        final java.util.HashMap<String, String> payload = new java.util.HashMap<>(java.util.Map.of("k", "v"));

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            instantiated = true;
            in.defaultReadObject();
        }
    }

    /** A remote object passed by value that replaces itself with the smuggled one as it is written. */
    static final class Carrier implements java.rmi.Remote, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private Object writeReplace() {
            return new Smuggled();
        }
    }

    @Test
    void anAuthenticatedPeerCannotSmuggleAnObjectOutsideTheAllowListIntoTheRegistry() throws Exception {
        int registryPort = supervisor.registryPort().orElseThrow();
        InstallationSecret secret = InstallationSecret.load(RuntimeFixture.installationSecretFile());
        java.rmi.registry.Registry registry = java.rmi.registry.LocateRegistry.getRegistry("127.0.0.1", registryPort,
                new io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory(secret));
        // the peer is authenticated (it lists the names), and its bind carries an object of a foreign class
        assertThat(io.hostpub.admin.api.transport.SecretScope.call(secret, () -> java.util.List.of(registry.list())))
                .contains("sup", "sub", "main");
        assertThatThrownBy(() -> io.hostpub.admin.api.transport.SecretScope.call(secret, () -> {
            registry.bind("smuggled", new Carrier());
            return null;
        })).isInstanceOf(java.rmi.RemoteException.class).hasStackTraceContaining("REJECTED");
        assertThat(Smuggled.instantiated).isFalse();
        assertThat(supervisor.registryNames().orElseThrow()).doesNotContain("smuggled");
    }
}
