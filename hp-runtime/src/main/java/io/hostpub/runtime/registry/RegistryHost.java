package io.hostpub.runtime.registry;

import io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory;
import io.hostpub.admin.api.transport.AuthenticatedServerSocketFactory;
import io.hostpub.admin.api.wire.InstallationSecret;
import java.net.InetAddress;
import java.rmi.AccessException;
import java.rmi.AlreadyBoundException;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The supervisor's RMI registry: on an ephemeral port of the bind address only, behind the authenticated
 * transport. Local calls (the supervisor's own bind and unbind) bypass the JDK's "local host only" check,
 * remote ones (subordinates) pass it because they are on this machine.
 */
public final class RegistryHost implements AutoCloseable {

    private final Registry registry;
    private final int port;
    private final AuthenticatedServerSocketFactory serverFactory;

    private RegistryHost(Registry registry, int port, AuthenticatedServerSocketFactory serverFactory) {
        this.registry = registry;
        this.port = port;
        this.serverFactory = serverFactory;
    }

    public static RegistryHost create(InetAddress bindAddress, InstallationSecret secret, int handshakeTimeoutMs)
            throws RemoteException {
        AtomicInteger bound = new AtomicInteger();
        var serverFactory = AuthenticatedServerSocketFactory.open(bindAddress, secret, handshakeTimeoutMs, bound::set);
        Registry registry = LocateRegistry.createRegistry(0, new AuthenticatedClientSocketFactory(secret),
                serverFactory);
        return new RegistryHost(registry, bound.get(), serverFactory);
    }

    public int port() {
        return port;
    }

    /** Binds without overwriting: a taken name is an {@link AlreadyBoundException}. */
    public void bind(String name, Remote stub) throws AlreadyBoundException, RemoteException {
        registry.bind(name, stub);
    }

    /** Replaces whatever the name is bound to (a member confirming the binding its new supervisor made for it). */
    public void rebind(String name, Remote stub) throws RemoteException {
        registry.rebind(name, stub);
    }

    /** @return true if the name was bound */
    public boolean unbind(String name) {
        try {
            registry.unbind(name);
            return true;
        } catch (NotBoundException e) {
            return false;
        } catch (AccessException e) {
            throw new IllegalStateException("local unbind refused", e);
        } catch (RemoteException e) {
            return false;
        }
    }

    public List<String> names() {
        try {
            return List.of(registry.list());
        } catch (RemoteException e) {
            throw new IllegalStateException("local registry list failed", e);
        }
    }

    @Override
    public void close() {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException alreadyGone) {
            // closed twice
        }
        serverFactory.close();
    }
}
