package io.hostpub.it.netns;

import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.testing.TestMachine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs on the operator's machine of a test bed (one JVM, so a sample costs an RMI lookup and not a JVM start): asks
 * every machine named on its command line for its view, each on its own thread every {@code periodMs}, and prints one
 * JSON line per answer: {@code {"machine":ADDRESS,"at":MILLIS,"tookMs":N,"view":{...}}} or {@code ...,"error":TEXT}.
 * {@code at} is when the question was asked (wall clock: the test JVM on the same host reads the same clock).
 * Arguments: the installation's secret file, the period in ms, then the machines' addresses. Ends with its stdin.
 */
public final class ViewSampler {

    private ViewSampler() {
    }

    public static void main(String[] args) throws Exception {
        MachineLocator locator = new MachineLocator(InstallationSecret.load(Path.of(args[0])));
        long periodMs = Long.parseLong(args[1]);
        for (int i = 2; i < args.length; i++) {
            MachineAddress address = MachineAddress.parse(args[i], TestMachine.DEFAULT_SUPERVISOR_PORT);
            Thread thread = new Thread(() -> sample(locator, address, periodMs), "view-sampler-" + address.host());
            thread.setDaemon(true);
            thread.start();
        }
        // the test closes stdin (or dies): the daemon threads end with the JVM
        while (System.in.read() >= 0) {
            // nothing is sent; reading only notices the end
        }
    }

    private static void sample(MachineLocator locator, MachineAddress address, long periodMs) {
        while (true) {
            long at = System.currentTimeMillis();
            long start = System.nanoTime();
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("machine", address.host());
            line.put("at", at);
            try {
                Object view = locator.view(address);
                line.put("tookMs", (System.nanoTime() - start) / 1_000_000);
                line.put("view", view);
            } catch (Exception e) {
                line.put("tookMs", (System.nanoTime() - start) / 1_000_000);
                line.put("error", e.toString());
            }
            String text = Json.writeString(line);
            synchronized (System.out) {
                System.out.println(text);
                System.out.flush();
            }
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
