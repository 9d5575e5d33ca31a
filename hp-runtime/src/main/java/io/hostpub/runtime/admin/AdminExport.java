package io.hostpub.runtime.admin;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.filter.AdminSerialFilter;
import io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory;
import io.hostpub.admin.api.transport.AuthenticatedServerSocketFactory;
import io.hostpub.admin.api.transport.StubCodec;
import io.hostpub.admin.api.wire.InstallationSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.rmi.NoSuchObjectException;
import java.rmi.server.UnicastRemoteObject;

/**
 * An instance's admin object exported over RMI on the authenticated transport (the handshake before any RMI byte,
 * the JEP 290 filter of the admin DTOs), on an ephemeral port of the bind address; its stub, also as the bytes the
 * instance announces to its supervisor. {@link #close()} unexports it and closes its listener, so a redeployed WAR
 * leaves nothing behind.
 */
public final class AdminExport implements AutoCloseable {

    private final AdminService service;
    private final AuthenticatedServerSocketFactory listener;
    private final AdminServer stub;
    private final byte[] serializedStub;

    private AdminExport(AdminService service, AuthenticatedServerSocketFactory listener, AdminServer stub,
            byte[] serializedStub) {
        this.service = service;
        this.listener = listener;
        this.stub = stub;
        this.serializedStub = serializedStub;
    }

    /** @throws IllegalStateException naming the instance when RMI refuses the export */
    public static AdminExport open(AdminService service, InetAddress bindAddress, InstallationSecret secret,
            int handshakeTimeoutMs) {
        advertiseBindAddress(bindAddress);
        AuthenticatedServerSocketFactory listener = AuthenticatedServerSocketFactory.open(bindAddress, secret,
                handshakeTimeoutMs, port -> { });
        try {
            AdminServer stub = (AdminServer) UnicastRemoteObject.exportObject(service, 0,
                    new AuthenticatedClientSocketFactory(secret), listener, new AdminSerialFilter());
            return new AdminExport(service, listener, stub, StubCodec.write(stub));
        } catch (IOException e) {
            try {
                UnicastRemoteObject.unexportObject(service, true);
            } catch (NoSuchObjectException notExported) {
                // the export itself failed
            }
            listener.close();
            throw new IllegalStateException("cannot export the admin object of " + service.instanceName() + ": " + e,
                    e);
        }
    }

    /**
     * Stubs carry the host clients connect to; RMI takes it from {@code java.rmi.server.hostname}. The listeners
     * bind the configured address only, so that is the address stubs must name (unless the operator set the
     * property, e.g. for a wildcard bind).
     */
    private static void advertiseBindAddress(InetAddress bindAddress) {
        if (System.getProperty("java.rmi.server.hostname") == null && !bindAddress.isAnyLocalAddress()) {
            System.setProperty("java.rmi.server.hostname", bindAddress.getHostAddress());
        }
    }

    public AdminServer stub() {
        return stub;
    }

    /** The stub as announced to the supervisor, which binds it in the machine's registry. */
    public byte[] serializedStub() {
        return serializedStub.clone();
    }

    @Override
    public void close() {
        try {
            UnicastRemoteObject.unexportObject(service, true);
        } catch (NoSuchObjectException alreadyClosed) {
            // unexported before
        }
        listener.close();
    }
}
