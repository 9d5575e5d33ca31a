package io.hostpub.cli;

import io.hostpub.admin.api.locate.LocatorException;
import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.model.MachineView;
import java.util.concurrent.TimeUnit;

/** The demo's wait for its clones: until the machine's registry lists every one of them, at most 120 s. */
final class DemoRegistry {

    private DemoRegistry() {
    }

    /**
     * Another installation's secret or protocol on the port ends the wait at once; a clone that won the race but has
     * not answered its first handshake in time (a JVM still starting on a busy machine) does not.
     */
    private static boolean isForeign(LocatorException e) {
        if (e.kind() != LocatorException.Kind.AUTHENTICATION) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.hostpub.admin.api.wire.HandshakeException h) {
                return h.failure() != io.hostpub.admin.api.wire.HandshakeException.Failure.NO_ANSWER;
            }
        }
        return true;
    }

    static MachineView awaitAll(MachineLocator locator, MachineAddress address, int clones) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                MachineView view = locator.view(address);
                if (view.instances().size() == clones) {
                    return view;
                }
            } catch (LocatorException e) {
                if (isForeign(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the registry did not list " + clones + " instances within 120 s; see "
                        + "the clone logs");
            }
            Thread.sleep(200);
        }
    }
}
