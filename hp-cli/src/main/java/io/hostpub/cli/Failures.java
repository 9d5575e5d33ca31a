package io.hostpub.cli;

import io.hostpub.admin.api.AdminException;
import io.hostpub.admin.api.locate.LocatorException;
import io.hostpub.runtime.config.ConfigException;
import java.rmi.RemoteException;
import picocli.CommandLine;

/** Maps failures to one clear line on stderr and the documented exit code; no stack traces. */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        var err = commandLine.getErr();
        if (e instanceof LocatorException locator) {
            err.println("hpctl: " + locator.getMessage());
            return locator.kind() == LocatorException.Kind.UNREACHABLE ? Hpctl.UNREACHABLE : Hpctl.AUTH;
        }
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            err.println("hpctl: " + e.getMessage());
            return Hpctl.USAGE;
        }
        if (e instanceof NoSuchInstanceException || e instanceof AdminException) {
            err.println("hpctl: " + e.getMessage());
            return Hpctl.FAILED;
        }
        if (e instanceof io.hostpub.coordinator.api.ClusterRefusal refusal) {
            err.println("hpctl: " + refusal.getMessage());
            return refusal.status() == 400 ? Hpctl.USAGE : Hpctl.FAILED;
        }
        if (e instanceof io.hostpub.coordinator.store.StoreException store) {
            err.println("hpctl: cluster store: " + store.getMessage());
            return Hpctl.UNREACHABLE;
        }
        if (e instanceof java.net.BindException bind) {
            err.println("hpctl: cannot listen: " + bind.getMessage() + " (another agent or coordinator of this node"
                    + " runs already?)");
            return Hpctl.FAILED;
        }
        if (e instanceof RemoteException remote) {
            err.println("hpctl: instance unreachable: " + remote.getMessage());
            return Hpctl.UNREACHABLE;
        }
        err.println("hpctl: " + e);
        return Hpctl.FAILED;
    }

    /** The named instance is not in the machine's registry. */
    static final class NoSuchInstanceException extends Exception {
        private static final long serialVersionUID = 1L;

        NoSuchInstanceException(String message) {
            super(message);
        }
    }
}
