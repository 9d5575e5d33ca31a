package io.hostpub.admin.api.locate;

import io.hostpub.admin.api.AdminException;
import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.filter.AdminSerialFilter;
import io.hostpub.admin.api.locate.LocatorException.Kind;
import io.hostpub.admin.api.model.InstanceNames;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory;
import io.hostpub.admin.api.transport.SecretScope;
import io.hostpub.admin.api.wire.FrameCodec;
import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.HandshakeException;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.admin.api.wire.Message;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Client-side discovery, the only one: machine -> supervisor port (private protocol: handshake, then
 * "registry port?") -> registry -> typed instance references. Used by the CLI and the admin WAR.
 */
public final class MachineLocator {

    private static final System.Logger LOG = System.getLogger(MachineLocator.class.getName());


    private static java.util.concurrent.ThreadPoolExecutor callPool() {
        var pool = new java.util.concurrent.ThreadPoolExecutor(8, 8, 2, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), new io.hostpub.lifecycle.NamedThreads("locator"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private final InstallationSecret secret;
    private final AuthenticatedClientSocketFactory clientFactory;
    /**
     * The threads that call instances in parallel: at most 8, daemon, named, ending after 2 s idle, so a locator
     * needs no closing and an undeployed WAR's locator leaves no thread behind.
     */
    private final java.util.concurrent.ThreadPoolExecutor calls = callPool();

    public MachineLocator(InstallationSecret secret) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clientFactory = new AuthenticatedClientSocketFactory(secret);
        AdminSerialFilter.installClientSide();
    }

    /**
     * Asks the machine's supervisor for its registry port and lists the registry; once more after a refused or dropped
     * connection ({@link FailoverRetry}: its supervisor may be failing over).
     */
    public LocatedMachine locate(MachineAddress address) throws LocatorException {
        return FailoverRetry.askTwice(address, () -> locateOnce(address));
    }

    private LocatedMachine locateOnce(MachineAddress address) throws LocatorException {
        Message.RegistryInfo info = queryRegistry(address);
        try {
            return scoped(() -> {
                Registry registry = LocateRegistry.getRegistry(address.host(), info.port(), clientFactory);
                List<InstanceRef> instances = new ArrayList<>();
                InstanceRef main = null;
                for (String name : registry.list()) {
                    AdminServer stub;
                    try {
                        stub = (AdminServer) registry.lookup(name);
                    } catch (NotBoundException goneMeanwhile) {
                        continue;
                    }
                    InstanceRef ref = new InstanceRef(name, scopedProxy(stub));
                    if (name.equals(InstanceNames.MAIN)) {
                        main = ref;
                    } else {
                        instances.add(ref);
                    }
                }
                instances.sort(Comparator.comparing(InstanceRef::name));
                return new LocatedMachine(address, info.supervisorName(), info.port(), main, instances);
            });
        } catch (RemoteException e) {
            throw classify(address, e);
        } catch (Exception e) {
            throw new LocatorException(Kind.UNREACHABLE, "cannot list the registry of " + address + ": " + e, e);
        }
    }

    /**
     * One instance of the machine, looked up by name without listing the others.
     *
     * @return empty if the machine's registry has no instance of that name
     */
    public java.util.Optional<InstanceRef> find(MachineAddress address, String name) throws LocatorException {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > InstanceNames.MAX_LENGTH) {
            return java.util.Optional.empty();
        }
        return FailoverRetry.askTwice(address, () -> findOnce(address, name));
    }

    private java.util.Optional<InstanceRef> findOnce(MachineAddress address, String name) throws LocatorException {
        Message.RegistryInfo info = queryRegistry(address);
        try {
            return scoped(() -> {
                Registry registry = LocateRegistry.getRegistry(address.host(), info.port(), clientFactory);
                try {
                    return java.util.Optional.of(new InstanceRef(name, scopedProxy((AdminServer) registry.lookup(name))));
                } catch (NotBoundException unknown) {
                    return java.util.Optional.<InstanceRef>empty();
                }
            });
        } catch (RemoteException e) {
            throw classify(address, e);
        } catch (ClassCastException e) {
            throw new LocatorException(Kind.AUTHENTICATION, "registry of " + address + " holds a non-admin object under "
                    + name, e);
        } catch (Exception e) {
            throw new LocatorException(Kind.UNREACHABLE, "cannot look up " + name + " on " + address + ": " + e, e);
        }
    }

    /**
     * The machine's instance list with license figures, in the external contract's shape. Instances that
     * vanish while being asked are left out (the supervisor unbinds them at once).
     */
    public MachineView view(MachineAddress address) throws LocatorException {
        LocatedMachine machine = locate(address);
        LicenseTally tally;
        try {
            tally = machine.main() == null ? null : machine.main().admin().licenseTally();
        } catch (RemoteException | AdminException e) {
            throw new LocatorException(Kind.UNREACHABLE, "supervisor of " + address + " did not answer: " + e, e);
        }
        // one RMI call per instance, in parallel: each mostly waits on another process
        List<java.util.concurrent.CompletableFuture<InstanceSummary>> pending = new ArrayList<>();
        for (InstanceRef ref : machine.instances()) {
            pending.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return ref.admin().summary();
                } catch (RemoteException e) {
                    LOG.log(System.Logger.Level.DEBUG, "instance " + ref.name() + " vanished while listed: " + e);
                    return null;
                }
            }, calls));
        }
        List<InstanceSummary> rows = new ArrayList<>();
        for (var call : pending) {
            InstanceSummary row = call.join();
            if (row != null) {
                rows.add(row);
            }
        }
        rows.sort(Comparator.comparing((InstanceSummary s) -> s.role() != Role.SUPERVISOR)
                .thenComparing(InstanceSummary::name));
        MachineView.Licenses licenses = tally == null ? new MachineView.Licenses(0, 0)
                : new MachineView.Licenses(tally.inUse(), tally.limit());
        return new MachineView(address.toString(), machine.supervisor(), machine.registryPort(), licenses, rows);
    }

    private Message.RegistryInfo queryRegistry(MachineAddress address) throws LocatorException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()),
                    AuthenticatedClientSocketFactory.CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(AuthenticatedClientSocketFactory.HANDSHAKE_TIMEOUT_MS);
            new Handshake(secret).asClient(socket.getInputStream(), socket.getOutputStream());
            FrameCodec.write(socket.getOutputStream(), new Message.RegistryQuery());
            Message reply = FrameCodec.read(socket.getInputStream());
            if (reply instanceof Message.RegistryInfo info) {
                return info;
            }
            throw new LocatorException(Kind.AUTHENTICATION, "supervisor of " + address
                    + " answered " + reply + " to a registry query", null);
        } catch (HandshakeException e) {
            throw new LocatorException(Kind.AUTHENTICATION, "handshake with " + address + " failed ("
                    + e.failure() + "): " + e.getMessage(), e);
        } catch (ConnectException | UnknownHostException | NoRouteToHostException | SocketTimeoutException e) {
            throw new LocatorException(Kind.UNREACHABLE, "no supervisor reachable at " + address + ": "
                    + e.getMessage(), e);
        } catch (LocatorException e) {
            throw e;
        } catch (IOException e) {
            throw new LocatorException(Kind.UNREACHABLE, "lost " + address + " while asking for its registry: "
                    + e.getMessage(), e);
        }
    }

    private static LocatorException classify(MachineAddress address, RemoteException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HandshakeException h) {
                return new LocatorException(Kind.AUTHENTICATION, "registry of " + address
                        + " refused the handshake (" + h.failure() + "): " + h.getMessage(), e);
            }
        }
        return new LocatorException(Kind.UNREACHABLE, "registry of " + address + " unreachable: " + e, e);
    }

    private <T> T scoped(java.util.concurrent.Callable<T> action) throws Exception {
        java.util.Optional<ClassLoader> jvmLifetime = AdminSerialFilter.jvmLifetimeLoader();
        if (jvmLifetime.isEmpty()) {
            return AdminSerialFilter.call(() -> SecretScope.call(secret, action));
        }
        // RMI resolves the classes of what it unmarshals through the context class loader
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        self.setContextClassLoader(new StubResolver(MachineLocator.class.getClassLoader(), jvmLifetime.get()));
        try {
            return AdminSerialFilter.call(() -> SecretScope.call(secret, action));
        } finally {
            self.setContextClassLoader(previous);
        }
    }

    /**
     * Resolves the client socket factory inside stubs from the JVM-lifetime copy of this jar and everything else
     * (the admin interface, the DTOs) from the caller's own loader. A stub's factory stays in RMI's connection
     * and DGC caches for a while after the call; from a WAR's loader it would keep an undeployed WAR in memory.
     * The JVM-lifetime copy reads the installation secret from the local file (the same installation).
     */
    private static final class StubResolver extends ClassLoader {
        private static final String FACTORY = AuthenticatedClientSocketFactory.class.getName();
        private final ClassLoader jvmLifetime;

        StubResolver(ClassLoader own, ClassLoader jvmLifetime) {
            super(own);
            this.jvmLifetime = jvmLifetime;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            return FACTORY.equals(name) ? jvmLifetime.loadClass(name) : super.loadClass(name, resolve);
        }
    }

    private AdminServer scopedProxy(AdminServer stub) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "AdminServer proxy for " + stub;
                };
            }
            try {
                return scoped(() -> method.invoke(stub, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (AdminServer) Proxy.newProxyInstance(AdminServer.class.getClassLoader(),
                new Class<?>[] {AdminServer.class}, handler);
    }
}
