package io.hostpub.coordinator.cluster;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipFile;

/**
 * A cluster job for the rollout tests, run as a process of its own: it "deploys" the WAR it is given (a ZIP archive)
 * and serves {@code GET /health} (200) and {@code GET /version} (the WAR's {@code WEB-INF/version.txt}) on its port,
 * on its agent's address. A WAR with a {@code WEB-INF/broken} entry fails to deploy: the process exits 3, as a
 * container whose deployment failed.
 *
 * <p>Arguments: {@code MARKER PORT WAR}.
 */
public final class WarServerJob {

    private WarServerJob() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        String version;
        try (ZipFile war = new ZipFile(args[2])) {
            if (war.getEntry("WEB-INF/broken") != null) {
                System.out.println("deployment of " + args[2] + " failed");
                System.exit(3);
            }
            version = new String(war.getInputStream(war.getEntry("WEB-INF/version.txt")).readAllBytes(),
                    StandardCharsets.UTF_8);
        }
        String agent = System.getenv("HOSTPUB_AGENT");
        String host = agent.substring(0, agent.lastIndexOf(':'));
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 50);
        byte[] ok = "UP".getBytes(StandardCharsets.UTF_8);
        byte[] body = version.getBytes(StandardCharsets.UTF_8);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.createContext("/version", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("serving version " + version + " on " + host + ":" + port);
    }
}
