package io.hostpub.it.netns;

import io.hostpub.admin.api.filter.AdminSerialFilter;
import io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory;
import io.hostpub.admin.api.transport.SecretScope;
import io.hostpub.admin.api.wire.InstallationSecret;
import java.nio.file.Path;
import java.rmi.Remote;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.Arrays;

/**
 * Run from another host (a network namespace): with the installation's secret, tries every registry call and
 * prints one line per call, {@code CALL ok ...} or {@code CALL refused <exception>: <message>}.
 * Arguments: host, registry port, secret file, a bound name.
 */
public final class RemoteRegistryProbe {

    /** What the probe tries to bind: an exported object of its own. */
    public interface Planted extends Remote {
    }

    private static final class PlantedObject implements Planted {
    }

    private RemoteRegistryProbe() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        InstallationSecret secret = InstallationSecret.loadOrCreate(Path.of(args[2]));
        String bound = args[3];
        AdminSerialFilter.installClientSide();
        Registry registry = LocateRegistry.getRegistry(host, port, new AuthenticatedClientSocketFactory(secret));
        PlantedObject object = new PlantedObject();
        Remote planted = UnicastRemoteObject.exportObject(object, 0);
        attempt("LIST", () -> Arrays.toString(registry.list()));
        attempt("LOOKUP", () -> SecretScope.call(secret, () -> registry.lookup(bound)).getClass().getSimpleName());
        attempt("BIND", () -> {
            registry.bind("planted", planted);
            return "planted";
        });
        attempt("REBIND", () -> {
            registry.rebind(bound, planted);
            return bound;
        });
        attempt("UNBIND", () -> {
            registry.unbind(bound);
            return bound;
        });
        UnicastRemoteObject.unexportObject(object, true);
        System.out.flush();
        // RMI's threads are not daemons: leave explicitly
        System.exit(0);
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void attempt(String what, Call call) {
        try {
            System.out.println(what + " ok " + call.run());
        } catch (Exception e) {
            // the registry's refusal arrives wrapped in a ServerException: report the innermost cause
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.out.println(what + " refused " + cause.getClass().getName() + ": " + cause.getMessage());
        }
    }
}
