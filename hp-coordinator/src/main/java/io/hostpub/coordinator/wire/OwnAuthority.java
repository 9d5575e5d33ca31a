package io.hostpub.coordinator.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a signed request was meant for this server: its {@code Host} header (covered by the signature) must name
 * this server's port and one of its addresses (the bound one, or any address of this host when bound to all). A
 * request captured on its way to another peer and sent here is refused with 421.
 */
final class OwnAuthority {

    private final InetAddress bound;
    private final java.util.function.IntSupplier port;
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

    /** @param port the bound port, asked once the server listens (a configured port 0 means any free one) */
    OwnAuthority(InetSocketAddress address, java.util.function.IntSupplier port) {
        this.bound = address.getAddress();
        this.port = port;
    }

    /** {@code host:port} as a signature covers it: a {@code Host} header without a port means port 80. */
    static String normalize(String host) {
        if (host == null) {
            return null;
        }
        String h = host.strip();
        boolean hasPort = h.startsWith("[") ? h.lastIndexOf("]:") > 0 : h.indexOf(':') > 0;
        return hasPort ? h : h + ":80";
    }

    boolean accepts(String authority) {
        if (authority == null) {
            return false;
        }
        if (seen.size() > 256) {
            seen.clear(); // only signed requests get here; a few distinct names at most
        }
        return seen.computeIfAbsent(authority, this::check);
    }

    private boolean check(String authority) {
        int colon = authority.lastIndexOf(':');
        String host = colon <= 0 ? "" : authority.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            if (colon <= 0 || Integer.parseInt(authority.substring(colon + 1)) != port.getAsInt()) {
                return false;
            }
            InetAddress named = InetAddress.getByName(host);
            if (!bound.isAnyLocalAddress()) {
                return named.equals(bound);
            }
            return named.isLoopbackAddress() || NetworkInterface.getByInetAddress(named) != null;
        } catch (NumberFormatException | UnknownHostException | SocketException e) {
            return false;
        }
    }
}
