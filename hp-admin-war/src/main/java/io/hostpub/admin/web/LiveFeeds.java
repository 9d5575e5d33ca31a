package io.hostpub.admin.web;

import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.lifecycle.NamedThreads;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server-sent event streams of the live pages of one web application: every {@link #TICK_MS} it reads what each
 * watched page shows (once per page and machine, however many browsers watch it) and tells each browser whose page
 * is out of date ({@code event: changed}); a comment every {@link #KEEPALIVE_MS} keeps idle streams open through
 * proxies. One named daemon thread, started with the first stream and stopped by {@link #close()} (on undeploy).
 */
final class LiveFeeds implements AutoCloseable {

    static final long TICK_MS = 400;
    static final long KEEPALIVE_MS = 15_000;
    /** Streams per clone: each costs a connection and a little of every tick. */
    static final int MAX_STREAMS = 32;
    private static final String ATTRIBUTE = LiveFeeds.class.getName();
    private static final System.Logger LOG = System.getLogger(LiveFeeds.class.getName());

    /** What one browser watches: a page of a machine ({@code machine} or {@code cluster}). */
    record Watch(String page, MachineAddress machine) {
    }

    private static final class Stream {
        final AsyncContext async;
        final Watch watch;
        volatile String shown;
        volatile long lastWriteMs = System.currentTimeMillis();

        Stream(AsyncContext async, Watch watch, String shown) {
            this.async = async;
            this.watch = watch;
            this.shown = shown;
        }
    }

    private final ServletContext context;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticker;
    private ScheduledFuture<?> ticks;
    private boolean closed;

    private LiveFeeds(ServletContext context) {
        this.context = context;
    }

    static synchronized LiveFeeds of(ServletContext context) {
        Object existing = context.getAttribute(ATTRIBUTE);
        if (existing instanceof LiveFeeds feeds) {
            return feeds;
        }
        LiveFeeds feeds = new LiveFeeds(context);
        context.setAttribute(ATTRIBUTE, feeds);
        return feeds;
    }

    static synchronized Optional<LiveFeeds> existing(ServletContext context) {
        return context.getAttribute(ATTRIBUTE) instanceof LiveFeeds feeds ? Optional.of(feeds) : Optional.empty();
    }

    /** Takes a stream; false when too many are open (the caller answers 503). */
    synchronized boolean add(AsyncContext async, Watch watch, String shown) {
        if (closed || streams.size() >= MAX_STREAMS) {
            return false;
        }
        streams.add(new Stream(async, watch, shown));
        if (ticker == null) {
            ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    new NamedThreads(WebContext.runtime(context).map(r -> r.name()).orElse("admin") + "-live"));
            ticks = ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private void tick() {
        try {
            Map<Watch, String> now = new ConcurrentHashMap<>();
            for (Stream stream : streams) {
                String current = now.computeIfAbsent(stream.watch, this::read);
                long nowMs = System.currentTimeMillis();
                if (!current.equals(stream.shown)) {
                    send(stream, "event: changed\ndata: " + current + "\n\n");
                    stream.shown = current;
                } else if (nowMs - stream.lastWriteMs > KEEPALIVE_MS) {
                    send(stream, ": keepalive\n\n");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "live pages: a tick failed: " + e);
        }
    }

    /** What the watched page shows now, as {@link LiveFingerprints} says it. */
    private String read(Watch watch) {
        try {
            if (watch.page().equals("cluster")) {
                return LiveFingerprints.of(ClusterGateway.of(context).report(ScrapeCollector.QUICK_REPORT));
            }
            AdminGateway gateway = Gateways.of(context).orElseThrow(() -> new AdminFailure(
                    AdminFailure.Kind.NO_SUPERVISOR, WebContext.NOT_STARTED));
            return LiveFingerprints.of(gateway.view(watch.machine()));
        } catch (AdminFailure e) {
            return LiveFingerprints.failure(e.getMessage());
        }
    }

    private void send(Stream stream, String text) {
        try {
            var out = stream.async.getResponse().getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            stream.lastWriteMs = System.currentTimeMillis();
        } catch (IOException | IllegalStateException gone) {
            end(stream);
        }
    }

    /** A browser went away or its stream timed out. */
    void end(AsyncContext async) {
        streams.stream().filter(s -> s.async == async).forEach(this::end);
    }

    private void end(Stream stream) {
        if (streams.remove(stream)) {
            try {
                stream.async.complete();
            } catch (IllegalStateException alreadyDone) {
                // completed by the container (timeout, error)
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        streams.forEach(this::end);
        if (ticker != null) {
            ticks.cancel(false);
            ticker.shutdownNow();
        }
        context.removeAttribute(ATTRIBUTE);
    }
}
