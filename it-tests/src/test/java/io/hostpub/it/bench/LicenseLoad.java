package io.hostpub.it.bench;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.license.Licenses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A runtime JVM that, for each "go &lt;millis&gt; &lt;threads&gt; &lt;round&gt; all|subordinates" on stdin, runs acquire(1)/release(1) loops
 * and prints a latency histogram of the acquisitions (1 us buckets up to 100 ms) as one {@code RESULT} line.
 */
public final class LicenseLoad {

    static final int BUCKETS = 100_000;

    public static void main(String[] args) throws Exception {
        HostpubRuntime runtime = HostpubRuntime.builder(ConfigLoader.fromEnvironment()).start();
        System.out.println("READY " + runtime.name() + " " + runtime.role());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String command;
        while ((command = in.readLine()) != null && command.startsWith("go ")) {
            String[] go = command.split(" ");
            boolean acquires = go[4].equals("all") || runtime.role() != io.hostpub.admin.api.model.Role.SUPERVISOR;
            run(runtime, Long.parseLong(go[1]), acquires ? Integer.parseInt(go[2]) : 0, go[3]);
        }
        runtime.close();
    }

    private static void run(HostpubRuntime runtime, long millis, int threads, String round) throws Exception {
        Licenses licenses = runtime.licenses();
        AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
        CountDownLatch done = new CountDownLatch(threads);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    long[] local = new long[BUCKETS];
                    while (System.nanoTime() < deadline) {
                        long start = System.nanoTime();
                        licenses.acquire(1);
                        long micros = (System.nanoTime() - start) / 1_000;
                        local[(int) Math.min(BUCKETS - 1, micros)]++;
                        licenses.release(1);
                    }
                    for (int b = 0; b < BUCKETS; b++) {
                        if (local[b] != 0) {
                            histogram.addAndGet(b, local[b]);
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }, "load-" + t);
            worker.start();
        }
        done.await();
        StringBuilder line = new StringBuilder("RESULT ").append(round).append(' ').append(runtime.role());
        for (int b = 0; b < BUCKETS; b++) {
            long count = histogram.get(b);
            if (count != 0) {
                line.append(' ').append(b).append(':').append(count);
            }
        }
        System.out.println(line);
        System.out.flush();
    }
}
