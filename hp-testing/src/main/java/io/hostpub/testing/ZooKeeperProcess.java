package io.hostpub.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real, standalone ZooKeeper server in its own JVM ({@code ZooKeeperServerMain}, default {@code tickTime} of
 * 2000 ms, so sessions negotiate between 4 s and 40 s), started by a benchmark harness and killed with it.
 */
public final class ZooKeeperProcess implements AutoCloseable {

    public static final int TICK_MS = 2000;
    public static final int MIN_SESSION_MS = 2 * TICK_MS;

    private final int port;
    private final CloneProcess process;

    public ZooKeeperProcess(TestMachine machine) throws IOException {
        this.port = FreePorts.next();
        Path data = Files.createDirectories(machine.home().resolve("zookeeper"));
        Path config = data.resolve("zoo.cfg");
        Files.writeString(config, String.join("\n",
                "tickTime=" + TICK_MS,
                "dataDir=" + data.resolve("data"),
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "maxClientCnxns=0",
                "admin.enableServer=false",
                "4lw.commands.whitelist=ruok,srvr",
                ""));
        process = CloneProcess.launch(machine, "zookeeper", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dzookeeper.admin.enableServer=false", "-cp", System.getProperty("java.class.path"),
                "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString()), null);
        machine.track(process);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> fourLetter("ruok").startsWith("imok"));
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    private String fourLetter(String word) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
