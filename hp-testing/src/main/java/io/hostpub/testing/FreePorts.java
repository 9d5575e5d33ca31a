package io.hostpub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The one free-port helper of every module's tests: a port of the loopback address nobody listened on a moment ago. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A free TCP port on the loopback address (the kernel's choice; free when returned, not reserved). */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
