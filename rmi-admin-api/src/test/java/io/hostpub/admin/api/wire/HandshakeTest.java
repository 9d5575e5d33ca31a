package io.hostpub.admin.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.admin.api.wire.HandshakeException.Failure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both halves of the handshake over real loopback sockets. */
class HandshakeTest {

    private static final InstallationSecret SECRET = InstallationSecret.of(WireSamples.sequence(1, 32));
    private static final InstallationSecret OTHER = InstallationSecret.of(WireSamples.sequence(2, 32));

    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    private CompletableFuture<Void> serve(InstallationSecret secret) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                new Handshake(secret).asServer(s.getInputStream(), s.getOutputStream());
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private void connect(InstallationSecret secret) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(5000);
            new Handshake(secret).asClient(s.getInputStream(), s.getOutputStream());
        }
    }

    @Test
    void sameSecretAuthenticatesBothWays() throws Exception {
        var serverSide = serve(SECRET);
        connect(SECRET);
        serverSide.get(5, TimeUnit.SECONDS);
    }

    /** Version 3 links and version 2 connections (RMI, registry queries, clones of the previous release) both work. */
    @Test
    void theServerAgreesOnEitherVersionTheClientOffers() throws Exception {
        for (int version : new int[] {Handshake.OLDEST_VERSION, Handshake.VERSION}) {
            CompletableFuture<Integer> agreed = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(5000);
                    return new Handshake(SECRET).asServer(s.getInputStream(), s.getOutputStream());
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setSoTimeout(5000);
                new Handshake(SECRET).asClient(s.getInputStream(), s.getOutputStream(), version);
            }
            assertThat(agreed.get(5, TimeUnit.SECONDS)).isEqualTo(version);
        }
    }

    @Test
    void clientRejectsAServerWithAnotherSecret() {
        var serverSide = serve(OTHER);
        assertThatThrownBy(() -> connect(SECRET)).isInstanceOf(HandshakeException.class)
                .satisfies(e -> assertThat(((HandshakeException) e).failure()).isEqualTo(Failure.SECRET_MISMATCH));
        assertThat(serverSide).failsWithin(5, TimeUnit.SECONDS);
    }

    @Test
    void serverRejectsAClientThatCannotProve() throws Exception {
        var serverSide = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                new Handshake(SECRET).asServer(s.getInputStream(), s.getOutputStream());
                return null;
            } catch (HandshakeException e) {
                return e.failure();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        // a client that sends a valid hello but a proof computed with another secret
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(5000);
            FrameCodec.write(s.getOutputStream(), new Message.Hello(Handshake.MAGIC, Handshake.VERSION, WireSamples.sequence(0, 16)));
            Message challenge = FrameCodec.read(s.getInputStream());
            assertThat(challenge).isInstanceOf(Message.Challenge.class);
            FrameCodec.write(s.getOutputStream(), new Message.Proof(OTHER.mac(new byte[] {1})));
            assertThat(FrameCodec.read(s.getInputStream())).isInstanceOf(Message.Failure.class);
        }
        assertThat(serverSide.get(5, TimeUnit.SECONDS)).isEqualTo(Failure.SECRET_MISMATCH);
    }

    @Test
    void foreignServerIsRecognised() throws Exception {
        var foreign = CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes());
                out.flush();
                s.getInputStream().read();
            } catch (IOException ignored) {
                // the client hangs up
            }
        });
        assertThatThrownBy(() -> connect(SECRET)).isInstanceOf(HandshakeException.class)
                .satisfies(e -> assertThat(((HandshakeException) e).failure()).isEqualTo(Failure.FOREIGN_PEER));
        foreign.get(5, TimeUnit.SECONDS);
    }

    @Test
    void wrongVersionIsRefusedWithAReason() throws Exception {
        var serverSide = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                new Handshake(SECRET).asServer(s.getInputStream(), s.getOutputStream());
                return null;
            } catch (HandshakeException e) {
                return e.failure();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(5000);
            FrameCodec.write(s.getOutputStream(), new Message.Hello(Handshake.MAGIC, 9, WireSamples.sequence(0, 16)));
            Message reply = FrameCodec.read(s.getInputStream());
            assertThat(reply).isInstanceOf(Message.Failure.class);
            assertThat(((Message.Failure) reply).reason()).contains("unsupported protocol version 9");
        }
        assertThat(serverSide.get(5, TimeUnit.SECONDS)).isEqualTo(Failure.VERSION_MISMATCH);
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            accepted.setSoTimeout(200);
            assertThatThrownBy(() -> new Handshake(SECRET).asServer(accepted.getInputStream(),
                    accepted.getOutputStream()))
                    .isInstanceOf(HandshakeException.class)
                    .satisfies(e -> assertThat(((HandshakeException) e).failure()).isEqualTo(Failure.NO_ANSWER));
        }
    }
}
