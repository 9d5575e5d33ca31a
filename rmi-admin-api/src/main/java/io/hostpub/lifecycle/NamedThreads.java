package io.hostpub.lifecycle;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread factory of the product: every thread is a daemon named {@code hostpub-<component>-<n>} (or
 * {@code hostpub-<component>} for a single one), so a thread dump, a container's leak report or {@code /proc} says
 * whose it is. The component names the instance or node first: {@code hostpub-jetty-8081-link-3},
 * {@code hostpub-agent-n1-events-1}. Daemons, because a part's {@code close()} stops them and a JVM must never be
 * kept alive by a part that was not closed.
 */
public final class NamedThreads implements ThreadFactory {

    /** What every thread name of the product starts with. */
    public static final String PREFIX = "hostpub-";

    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    public NamedThreads(String component) {
        this.prefix = PREFIX + component + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        return daemon(task, prefix + counter.incrementAndGet());
    }

    /** Starts one daemon thread named {@code hostpub-<component>}. */
    public static Thread start(String component, Runnable task) {
        Thread thread = daemon(task, PREFIX + component);
        thread.start();
        return thread;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
