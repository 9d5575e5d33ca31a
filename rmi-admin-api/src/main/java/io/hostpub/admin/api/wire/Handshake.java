package io.hostpub.admin.api.wire;

import io.hostpub.admin.api.wire.HandshakeException.Failure;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Mutual HMAC-SHA256 challenge/response over the installation secret, identical on the race port and on
 * every RMI connection. Each side proves knowledge of the secret over both nonces, so neither side can
 * replay a recorded exchange, and nothing beyond these fixed-size frames is read from an
 * unauthenticated peer.
 */
public final class Handshake {

    /** "HPUB". */
    public static final int MAGIC = 0x48505542;
    /**
     * The newest version: 3 added the succession messages (SUCCESSOR, MEMBER_UP, MEMBER_DOWN) on links, 4 the license
     * leases (LICENSE_LEASE, LEASE_RECALL, LEASE_RETURN).
     */
    public static final int VERSION = 4;
    /** The oldest version a server still accepts, and what every connection that needs nothing newer offers. */
    public static final int OLDEST_VERSION = 2;

    private static final byte[] SERVER_LABEL = "HPUB-S".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT_LABEL = "HPUB-C".getBytes(StandardCharsets.US_ASCII);

    private final InstallationSecret secret;
    private final SecureRandom random;

    public Handshake(InstallationSecret secret) {
        this(secret, new SecureRandom());
    }

    Handshake(InstallationSecret secret, SecureRandom random) {
        this.secret = secret;
        this.random = random;
    }

    /**
     * Client side for connections that use no message newer than version 2 (RMI connections, registry queries):
     * offers {@link #OLDEST_VERSION}, so they work with every peer since version 2.
     */
    public void asClient(InputStream in, OutputStream out) throws IOException {
        asClient(in, out, OLDEST_VERSION);
    }

    /**
     * Client side: the connecting peer, offering {@code version}. The caller sets a read timeout on the socket
     * beforehand. A peer that does not speak it refuses ({@code VERSION_MISMATCH}); the caller may offer an older one
     * on a new connection.
     */
    public void asClient(InputStream in, OutputStream out, int version) throws IOException {
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new IllegalArgumentException("version " + version + " is not between " + OLDEST_VERSION + " and "
                    + VERSION);
        }
        byte[] clientNonce = nonce();
        FrameCodec.write(out, new Message.Hello(MAGIC, version, clientNonce));
        Message reply = readHandshakeFrame(in);
        if (reply instanceof Message.Failure error) {
            throw new HandshakeException(Failure.VERSION_MISMATCH, "peer refused: " + error.reason());
        }
        if (!(reply instanceof Message.Challenge challenge) || challenge.magic() != MAGIC) {
            throw new HandshakeException(Failure.FOREIGN_PEER, "peer answered " + reply + " instead of a challenge");
        }
        if (challenge.version() != version) {
            throw new HandshakeException(Failure.VERSION_MISMATCH,
                    "peer speaks protocol version " + challenge.version() + ", this side offered " + version);
        }
        if (!secret.verify(challenge.mac(), SERVER_LABEL, clientNonce, challenge.nonce())) {
            throw new HandshakeException(Failure.SECRET_MISMATCH,
                    "peer does not hold this installation's secret (fingerprint " + secret.fingerprint() + ")");
        }
        FrameCodec.write(out, new Message.Proof(secret.mac(CLIENT_LABEL, challenge.nonce(), clientNonce)));
        Message verdict = readHandshakeFrame(in);
        if (verdict instanceof Message.Failure error) {
            throw new HandshakeException(Failure.SECRET_MISMATCH, "peer refused: " + error.reason());
        }
        if (!(verdict instanceof Message.Welcome)) {
            throw new HandshakeException(Failure.FOREIGN_PEER, "peer answered " + verdict + " instead of welcome");
        }
    }

    /**
     * Server side: the accepting peer. The caller sets a read timeout on the socket beforehand.
     *
     * @return the version the client offered and this side accepted ({@link #OLDEST_VERSION} to {@link #VERSION}):
     *         the messages the connection may carry
     */
    public int asServer(InputStream in, OutputStream out) throws IOException {
        Message first = readHandshakeFrame(in);
        if (!(first instanceof Message.Hello hello) || hello.magic() != MAGIC) {
            throw new HandshakeException(Failure.FOREIGN_PEER, "peer sent " + first + " instead of hello");
        }
        if (hello.version() < OLDEST_VERSION || hello.version() > VERSION) {
            FrameCodec.write(out, new Message.Failure("unsupported protocol version " + hello.version()
                    + ", this side speaks " + OLDEST_VERSION + " to " + VERSION));
            throw new HandshakeException(Failure.VERSION_MISMATCH, "peer speaks protocol version " + hello.version()
                    + ", this side speaks " + OLDEST_VERSION + " to " + VERSION);
        }
        byte[] serverNonce = nonce();
        FrameCodec.write(out, new Message.Challenge(MAGIC, hello.version(), serverNonce,
                secret.mac(SERVER_LABEL, hello.nonce(), serverNonce)));
        Message answer = readHandshakeFrame(in);
        if (!(answer instanceof Message.Proof proof)) {
            throw new HandshakeException(Failure.FOREIGN_PEER, "peer sent " + answer + " instead of proof");
        }
        if (!secret.verify(proof.mac(), CLIENT_LABEL, serverNonce, hello.nonce())) {
            FrameCodec.write(out, new Message.Failure("authentication failed"));
            throw new HandshakeException(Failure.SECRET_MISMATCH,
                    "peer does not hold this installation's secret (fingerprint " + secret.fingerprint() + ")");
        }
        FrameCodec.write(out, new Message.Welcome());
        return hello.version();
    }

    private static Message readHandshakeFrame(InputStream in) throws IOException {
        try {
            return FrameCodec.read(in);
        } catch (EOFException e) {
            HandshakeException closed = new HandshakeException(Failure.NO_ANSWER, "peer closed the connection during"
                    + " the handshake");
            closed.initCause(e); // a supervisor that dies as it is asked does this: the locator asks again
            throw closed;
        } catch (SocketTimeoutException e) {
            throw new HandshakeException(Failure.NO_ANSWER, "peer did not answer the handshake in time");
        } catch (ProtocolException e) {
            throw new HandshakeException(Failure.FOREIGN_PEER, "peer is not speaking the hostpub protocol: "
                    + e.getMessage());
        }
    }

    private byte[] nonce() {
        byte[] nonce = new byte[Message.NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }
}
