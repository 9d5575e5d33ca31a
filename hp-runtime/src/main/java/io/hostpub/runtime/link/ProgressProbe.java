package io.hostpub.runtime.link;

import io.hostpub.admin.api.wire.Message;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hang detection for one link (off unless {@code progressProbeMs > 0}). Socket close catches a crash at
 * once, not a hung process: every period this side sends PROBE; the peer answers PROBE_ACK only after the
 * answer has passed through its real work path. A peer silent for two periods is declared dead, which
 * closes the link and so takes the ordinary death path.
 */
public final class ProgressProbe implements AutoCloseable {

    private final LinkSocket link;
    private final long periodNanos;
    private final Consumer<String> declareDead;
    private final AtomicLong sequence = new AtomicLong();
    private volatile long lastAnswerNanos = System.nanoTime();
    private final ScheduledFuture<?> task;

    public ProgressProbe(ScheduledExecutorService scheduler, LinkSocket link, long periodMs,
            Consumer<String> declareDead) {
        this.link = link;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMs);
        this.declareDead = declareDead;
        this.task = scheduler.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long silentNanos = System.nanoTime() - lastAnswerNanos;
        if (silentNanos > 2 * periodNanos) {
            task.cancel(false);
            declareDead.accept("no progress answer for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms");
            link.close();
            return;
        }
        link.trySend(new Message.Probe(sequence.incrementAndGet()));
    }

    /** The peer answered. */
    public void answered(long seq) {
        lastAnswerNanos = System.nanoTime();
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
