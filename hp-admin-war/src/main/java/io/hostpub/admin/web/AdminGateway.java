package io.hostpub.admin.web;

import io.hostpub.admin.api.AdminException;
import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.locate.InstanceRef;
import io.hostpub.admin.api.locate.LocatorException;
import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.model.InstanceDetail;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.runtime.HostpubRuntime;
import java.rmi.RemoteException;

/**
 * The admin web layer's RMI client: every page and API call goes through here to the chosen machine's supervisor
 * and the chosen instance, whichever clone serves the HTTP request.
 */
final class AdminGateway {

    /** An admin operation on one instance. */
    interface Operation<T> {
        T on(AdminServer instance) throws RemoteException, AdminException;
    }

    private final HostpubRuntime local;
    private final MachineLocator locator;

    AdminGateway(HostpubRuntime local) {
        this.local = local;
        this.locator = new MachineLocator(local.secret());
    }

    HostpubRuntime local() {
        return local;
    }

    /** This clone's own machine: its bind address and supervisor port. */
    MachineAddress localMachine() {
        return new MachineAddress(local.config().bindAddress().getHostAddress(), local.config().supervisorPort());
    }

    /**
     * The machine an operator named ({@code HOST[:PORT]}, the port defaulting to this installation's supervisor
     * port), or this clone's machine when none was named.
     */
    MachineAddress machine(String text) throws AdminFailure {
        if (text == null || text.isBlank()) {
            return localMachine();
        }
        if (text.length() > 300) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "machine is longer than 300 characters");
        }
        try {
            return MachineAddress.parse(text, local.config().supervisorPort());
        } catch (IllegalArgumentException e) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "invalid machine: " + e.getMessage());
        }
    }

    MachineView view(MachineAddress machine) throws AdminFailure {
        try {
            return locator.view(machine);
        } catch (LocatorException e) {
            throw AdminFailure.of(machine, e);
        }
    }

    InstanceDetail detail(MachineAddress machine, String name) throws AdminFailure {
        return call(machine, name, AdminServer::detail);
    }

    /** Runs one operation on the named instance of the machine. */
    <T> T call(MachineAddress machine, String name, Operation<T> operation) throws AdminFailure {
        InstanceRef ref;
        try {
            ref = locator.find(machine, name)
                    .orElseThrow(() -> new AdminFailure(AdminFailure.Kind.NOT_FOUND, "machine " + machine
                            + " has no instance named '" + name + "'"));
        } catch (LocatorException e) {
            throw AdminFailure.of(machine, e);
        }
        try {
            return operation.on(ref.admin());
        } catch (AdminException e) {
            throw new AdminFailure(AdminFailure.Kind.REFUSED, e.getMessage());
        } catch (RemoteException e) {
            throw new AdminFailure(AdminFailure.Kind.INSTANCE_UNREACHABLE, "instance '" + name + "' on " + machine
                    + " is unreachable (it may have just died; its supervisor removes it at once): "
                    + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
