package io.hostpub.admin.api.transport;

import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.admin.api.wire.InstallationSecret;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;

/**
 * Client side of the authenticated RMI transport; travels inside every stub. It carries no secret. When it connects
 * it uses the secret of the {@link SecretScope} the connecting thread runs in (a {@code MachineLocator} built with an
 * explicit secret), else the secret the copy was created with (held in a transient field by the exporting runtime),
 * else the local installation's secret file. The secret is chosen when connecting, not when unmarshalling, because
 * RMI shares one canonical endpoint (and factory copy) per host and port, whoever made it: a locator of one
 * installation could otherwise connect with the secret of a copy made for another installation whose registry once
 * had the same port in this JVM (seen as a SECRET_MISMATCH flake in tests that run many machines in one JVM).
 */
public final class AuthenticatedClientSocketFactory implements RMIClientSocketFactory, Serializable {
    private static final long serialVersionUID = 1L;

    public static final int CONNECT_TIMEOUT_MS = 5_000;
    public static final int HANDSHAKE_TIMEOUT_MS = 5_000;
    /** Read timeout of an RMI call; a hung peer surfaces as a RemoteException instead of a stuck caller. */
    public static final int CALL_TIMEOUT_MS = Integer.getInteger("hostpub.rmiCallTimeoutMs", 15_000);

    private transient volatile InstallationSecret secret;

    public AuthenticatedClientSocketFactory(InstallationSecret secret) {
        this.secret = secret;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        InstallationSecret key = secret();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            new Handshake(key).asClient(socket.getInputStream(), socket.getOutputStream());
            socket.setSoTimeout(CALL_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private InstallationSecret secret() throws IOException {
        InstallationSecret scoped = SecretScope.current();
        if (scoped != null) {
            return scoped;
        }
        InstallationSecret key = secret;
        if (key != null) {
            return key;
        }
        key = InstallationSecret.load(InstallationPaths.fromEnvironment().secretFile());
        secret = key;
        return key;
    }

    // RMI reuses connections per (endpoint, factory): every copy is interchangeable.
    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticatedClientSocketFactory;
    }

    @Override
    public int hashCode() {
        return AuthenticatedClientSocketFactory.class.getName().hashCode();
    }
}
