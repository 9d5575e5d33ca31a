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
 * and prints a latency histogram of the acquisitions (1 us buckets, sparse) as one {@code RESULT} line, after a
 * {@code DENIED <round> <count>} line with the acquisitions the machine's limit refused (counted, not timed).
 */
public final class LicenseLoad {

    static final int BUCKETS = 100_000;

    /** One unit taken and given back, the operation every load process times. */
    interface Units {
        void acquire() throws Exception;

        void release() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        HostpubRuntime runtime = HostpubRuntime.builder(ConfigLoader.fromEnvironment()).start();
        Licenses licenses = runtime.licenses();
        serve(runtime.name(), () -> runtime.role().name(),
                () -> runtime.role() != io.hostpub.admin.api.model.Role.SUPERVISOR, new Units() {
                    @Override
                    public void acquire() throws Exception {
                        licenses.acquire(1);
                    }

                    @Override
                    public void release() {
                        licenses.release(1);
                    }
                });
        runtime.close();
    }

    /** Answers "go" commands on stdin until it closes or says something else. */
    static void serve(String name, java.util.function.Supplier<String> role,
            java.util.function.BooleanSupplier remote, Units units) throws Exception {
        System.out.println("READY " + name + " " + role.get());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String command;
        while ((command = in.readLine()) != null && command.startsWith("go ")) {
            String[] go = command.split(" ");
            boolean acquires = go[4].equals("all") || remote.getAsBoolean();
            run(units, role.get(), Long.parseLong(go[1]), acquires ? Integer.parseInt(go[2]) : 0, go[3]);
        }
    }

    private static void run(Units licenses, String role, long millis, int threads, String round) throws Exception {
        AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
        java.util.Map<Long, Long> overflow = new java.util.TreeMap<>();
        java.util.concurrent.atomic.AtomicLong denied = new java.util.concurrent.atomic.AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    long[] local = new long[BUCKETS];
                    java.util.Map<Long, Long> slow = new java.util.HashMap<>();
                    while (System.nanoTime() < deadline) {
                        long start = System.nanoTime();
                        try {
                            licenses.acquire();
                        } catch (io.hostpub.runtime.license.LicenseException refused) {
                            denied.incrementAndGet();
                            continue;
                        }
                        long micros = (System.nanoTime() - start) / 1_000;
                        if (micros < BUCKETS) {
                            local[(int) micros]++;
                        } else {
                            slow.merge(micros, 1L, Long::sum);
                        }
                        licenses.release();
                    }
                    for (int b = 0; b < BUCKETS; b++) {
                        if (local[b] != 0) {
                            histogram.addAndGet(b, local[b]);
                        }
                    }
                    synchronized (overflow) {
                        slow.forEach((micros, count) -> overflow.merge(micros, count, Long::sum));
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
        System.out.println("DENIED " + round + " " + denied.get());
        StringBuilder line = new StringBuilder("RESULT ").append(round).append(' ').append(role);
        for (int b = 0; b < BUCKETS; b++) {
            long count = histogram.get(b);
            if (count != 0) {
                line.append(' ').append(b).append(':').append(count);
            }
        }
        overflow.forEach((micros, count) -> line.append(' ').append(micros).append(':').append(count));
        System.out.println(line);
        System.out.flush();
    }
}
