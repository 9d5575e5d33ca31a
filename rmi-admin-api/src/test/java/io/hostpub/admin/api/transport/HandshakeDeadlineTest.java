package io.hostpub.admin.api.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.InstallationSecret;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RMI transport's handshake deadline: one total deadline per connection, counted from its arrival. */
class HandshakeDeadlineTest {

    static final int DEADLINE_MS = 300;
    final InstallationSecret secret = InstallationSecret.of(new byte[32]);
    AuthenticatedServerSocketFactory factory;
    ServerSocket server;

    @BeforeEach
    void setUp() throws IOException {
        factory = AuthenticatedServerSocketFactory.open(InetAddress.getLoopbackAddress(), secret, DEADLINE_MS,
                port -> { });
        server = factory.createServerSocket(0);
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    /** A listener that waited in accept() longer than the deadline once closed its next connection at once. */
    @Test
    void aListenerIdleLongerThanTheDeadlineStillAuthenticatesItsNextConnection() throws Exception {
        CompletableFuture<Integer> firstByte = CompletableFuture.supplyAsync(() -> {
            try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
                return in.read(); // runs the server half of the handshake first
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long waitingSince = System.nanoTime();
        await().pollDelay(Duration.ofMillis(2 * DEADLINE_MS)).atMost(Duration.ofSeconds(5))
                .until(() -> System.nanoTime() - waitingSince > TimeUnit.MILLISECONDS.toNanos(2 * DEADLINE_MS));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            client.setSoTimeout(5_000);
            new Handshake(secret).asClient(client.getInputStream(), client.getOutputStream());
            client.getOutputStream().write(42);
            assertThat(firstByte.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    /** A peer that trickles its handshake is cut off at the deadline, however often it sends a byte. */
    @Test
    void aTricklingPeerIsCutOffAtTheTotalDeadline() throws Exception {
        CompletableFuture<Integer> firstByte = CompletableFuture.supplyAsync(() -> {
            try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
                return in.read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            client.setSoTimeout(DEADLINE_MS / 4);
            // a byte every quarter of the deadline: a per-read timeout would never expire
            for (int i = 0; i < 40 && !firstByte.isDone(); i++) {
                try {
                    client.getOutputStream().write(0);
                    client.getInputStream().read();
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // the pace of the trickle
                } catch (IOException closed) {
                    break;
                }
            }
            assertThatThrownBy(() -> firstByte.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(
                    io.hostpub.admin.api.wire.HandshakeException.class);
        }
    }
}
