package io.hostpub.admin.api.locate;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A machine as operators name it: {@code host[:port]}, the port being its supervisor port. */
public record MachineAddress(String host, int port) {

    private static final Pattern FORM = Pattern.compile("^(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9.\\-_]+))(?::(\\d{1,5}))?$");

    public MachineAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("host must have 1 to 253 characters");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port);
        }
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [ipv6]} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException with a message fit for the operator
     */
    public static MachineAddress parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("machine is empty; expected HOST or HOST:PORT");
        }
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not HOST or HOST:PORT");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        int port = defaultPort;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
        }
        return new MachineAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
