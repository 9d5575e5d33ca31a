package io.hostpub.runtime.election;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.events.EventLog;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * One try in the race for the supervisor port: every instance of the machine binds the same address and port, the
 * kernel lets exactly one succeed. Every racer must bind the same address (a specific address and the wildcard do
 * conflict, 127.0.0.1 and 127.0.0.2 do not).
 */
final class PortRace {

    private PortRace() {
    }

    /**
     * Seed step 502, an exclusive bind: SO_REUSEADDR on (Linux still refuses a second listener, and without it the
     * port stays unbindable while the dead winner's connections sit in TIME_WAIT), never SO_REUSEPORT.
     *
     * @return the won socket, or null when another instance holds the port (or the bind failed, which is logged)
     */
    static ServerSocket tryBind(RuntimeConfig config, EventLog events) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.bindAddress(), config.supervisorPort()), 128);
            return socket;
        } catch (BindException lost) {
            closeQuietly(socket);
            return null;
        } catch (IOException e) {
            closeQuietly(socket);
            events.warn(EventKind.ROLE, "cannot bind " + config.bindAddress().getHostAddress() + ":"
                    + config.supervisorPort() + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The designated successor's race: tries again every millisecond for up to {@code millis} while the port is held
     * (a dying supervisor's socket can outlive its links' end by milliseconds), so it is not beaten to the port by
     * whoever tries at the moment it comes free.
     *
     * @return the won socket, or null when the port stayed held (someone else won, or the old one lingers)
     */
    static ServerSocket tryBindWithin(RuntimeConfig config, EventLog events, long millis,
            java.util.function.BooleanSupplier stopped) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            ServerSocket won = tryBind(config, events);
            if (won != null || stopped.getAsBoolean() || System.nanoTime() - deadline >= 0) {
                return won;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
