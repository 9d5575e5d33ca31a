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

    /**
     * A single-thread executor (tasks run one after another, in order) whose thread exists only while there is work and
     * {@code idleSeconds} after: an idle runtime carries no thread for what it does now and then.
     */
    public static java.util.concurrent.ExecutorService whileBusy(String component, long idleSeconds) {
        return new java.util.concurrent.ThreadPoolExecutor(0, 1, idleSeconds, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), new NamedThreads(component));
    }

    /**
     * A single-thread scheduler whose thread exists only while a task is scheduled and {@code idleSeconds} after (a
     * pool without core threads keeps one worker while its queue holds a task, however far ahead).
     */
    public static java.util.concurrent.ScheduledThreadPoolExecutor schedulerWhileBusy(String component,
            long idleSeconds) {
        var scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(0, new NamedThreads(component));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(idleSeconds, java.util.concurrent.TimeUnit.SECONDS);
        return scheduler;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
