package io.hostpub.it.chaos;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.license.LicenseException;
import io.hostpub.runtime.license.Licenses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A runtime JVM under chaos: one worker keeps acquiring 1-3 license units, holding them 20-150 ms and releasing
 * them. It logs {@code ACQ <units> @<micros>} after a grant returns and {@code REL <units> @<micros>} before the
 * release, so the logged holding intervals lie inside the real ones (an overlap in the log is a real overlap).
 * {@code hold} on stdin stops the worker with its current holdings and prints {@code HOLDING <units>}.
 */
public final class ChaosClone {

    private static volatile boolean running = true;

    private ChaosClone() {
    }

    public static void main(String[] args) throws Exception {
        HostpubRuntime runtime = HostpubRuntime.builder(ConfigLoader.fromEnvironment()).start();
        Licenses licenses = runtime.licenses();
        Thread worker = new Thread(() -> work(licenses), "chaos-worker");
        worker.setDaemon(true);
        worker.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String command;
        while ((command = in.readLine()) != null) {
            if (command.equals("hold")) {
                running = false;
                worker.join();
                say("HOLDING " + licenses.holdings());
            }
        }
        runtime.close();
    }

    private static void work(Licenses licenses) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            try {
                int units = 1 + random.nextInt(3);
                licenses.acquire(units);
                say("ACQ " + units + " @" + micros());
                Thread.sleep(20 + random.nextInt(130));
                if (!running) {
                    // keep this holding: the harness compares the machine's tally with it
                    return;
                }
                say("REL " + units + " @" + micros());
                licenses.release(units);
            } catch (LicenseException e) {
                say("DENY @" + micros() + " " + e.getMessage());
                sleepQuietly(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
