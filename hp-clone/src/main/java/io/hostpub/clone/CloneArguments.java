package io.hostpub.clone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The arguments every clone launcher takes: {@code --port N --war FILE --work DIR [--bind ADDRESS]
 * [--context PATH]}.
 *
 * @param bind the address the HTTP connector listens on (default 127.0.0.1)
 */
public record CloneArguments(int port, Path war, Path work, InetAddress bind, String contextPath) {

    public static final String USAGE = "usage: --port N --war FILE --work DIR [--bind ADDRESS] [--context /PATH]";

    public static CloneArguments parse(String... args) {
        Integer port = null;
        Path war = null;
        Path work = null;
        String bind = "127.0.0.1";
        String context = "/HostPublisher";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = parsePort(require(value, "--port"));
                case "--war" -> war = Path.of(require(value, "--war"));
                case "--work" -> work = Path.of(require(value, "--work"));
                case "--bind" -> bind = require(value, "--bind");
                case "--context" -> context = require(value, "--context");
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
            i++;
        }
        if (port == null || war == null || work == null) {
            throw new IllegalArgumentException(USAGE);
        }
        if (!Files.isRegularFile(war)) {
            throw new IllegalArgumentException("WAR " + war + " does not exist; build it with: mvn -B install -DskipTests");
        }
        if (!context.startsWith("/")) {
            throw new IllegalArgumentException("--context must start with /");
        }
        try {
            return new CloneArguments(port, war.toAbsolutePath(), work.toAbsolutePath(), InetAddress.getByName(bind),
                    context);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bind + " is not an address of this machine");
        }
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        }
        return value;
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be 1..65535, not '" + text + "'");
        }
    }

    /** Runs a launcher's main: bad arguments print the reason and exit 2, a start failure exits 1. */
    static void main(String[] args, Launcher launcher) {
        CloneArguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            launcher.run(arguments);
        } catch (Exception e) {
            System.err.println("clone on port " + arguments.port() + " failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Starts a container with the WAR and blocks until it stops. */
    interface Launcher {
        void run(CloneArguments arguments) throws Exception;
    }
}
