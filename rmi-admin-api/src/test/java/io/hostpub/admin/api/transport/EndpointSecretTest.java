package io.hostpub.admin.api.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.admin.api.wire.InstallationSecret;
import java.net.InetAddress;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * RMI keeps one canonical client endpoint per host and port, with the factory copy that made it. When a registry of
 * one installation closed and a registry of another came up on the same port, a locator of the second installation
 * in the same JVM connected with the first one's secret (SECRET_MISMATCH): a FailoverTest flake, since tests run many
 * installations in one JVM and ports are reused. The secret of the calling scope must win.
 */
class EndpointSecretTest {

    @Test
    void aLocatorUsesItsOwnSecretOnAPortAnotherInstallationHadBefore() throws Exception {
        InstallationSecret first = InstallationSecret.of("first installation's secret".getBytes());
        InstallationSecret second = InstallationSecret.of("second installation's secret".getBytes());
        AtomicInteger port = new AtomicInteger();
        AuthenticatedServerSocketFactory firstServer = AuthenticatedServerSocketFactory.open(
                InetAddress.getLoopbackAddress(), first, 5_000, port::set);
        // a port below the ephemeral range: an outgoing connection of any process may take an ephemeral one between
        // the two registries
        Registry firstRegistry = null;
        for (int attempt = 0; firstRegistry == null; attempt++) {
            try {
                firstRegistry = LocateRegistry.createRegistry(20_000 + ThreadLocalRandom.current().nextInt(12_000),
                        new AuthenticatedClientSocketFactory(first), firstServer);
            } catch (java.rmi.server.ExportException taken) {
                assertThat(attempt).as("free ports below the ephemeral range").isLessThan(50);
            }
        }
        assertThat(SecretScope.call(first, () -> List.of(LocateRegistry.getRegistry("127.0.0.1", port.get(),
                new AuthenticatedClientSocketFactory(first)).list()))).isEmpty();
        UnicastRemoteObject.unexportObject(firstRegistry, true);
        firstServer.close();

        AuthenticatedServerSocketFactory secondServer = AuthenticatedServerSocketFactory.open(
                InetAddress.getLoopbackAddress(), second, 5_000, p -> { });
        // the first listener goes away in the JDK's own time (its accept thread ends after the close)
        Registry secondRegistry = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(50)).ignoreException(java.rmi.server.ExportException.class)
                .until(() -> LocateRegistry.createRegistry(port.get(), new AuthenticatedClientSocketFactory(second),
                        secondServer), java.util.Objects::nonNull);
        try {
            secondRegistry.bind("main", secondRegistry);
            Registry stub = LocateRegistry.getRegistry("127.0.0.1", port.get(), new AuthenticatedClientSocketFactory(
                    second));
            List<String> names;
            try {
                names = SecretScope.call(second, () -> List.of(stub.list()));
            } catch (java.rmi.UnmarshalException stale) {
                // RMI may first reuse its pooled connection to the closed registry (reset or end of stream), as any
                // caller does after the port changed hands; the next call connects anew. A wrong secret would fail
                // every call with a HandshakeException instead
                assertThat(stale).hasRootCauseInstanceOf(java.io.EOFException.class);
                names = SecretScope.call(second, () -> List.of(stub.list()));
            }
            assertThat(names).containsExactly("main");
        } finally {
            UnicastRemoteObject.unexportObject(secondRegistry, true);
            secondServer.close();
        }
    }
}
