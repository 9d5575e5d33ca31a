package io.hostpub.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow-loris client: many connections to one port, each sending a prefix at once and then one byte of a tail per
 * period, for as long as the server keeps it open. All of them run on a single selector thread, so a test can open
 * hundreds without adding hundreds of threads to the process it measures. Everything the server sends is read and
 * dropped; a connection counts as closed once the server ends or resets it (or refused it outright).
 */
public final class Trickler implements AutoCloseable {

    private final Selector selector;
    private final byte[] tail;
    private final long periodNanos;
    private final List<Conn> connections = new ArrayList<>();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;

    private static final class Conn {
        final SocketChannel channel;
        int next;
        volatile boolean closed;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * Opens {@code count} connections, sends each the prefix, and starts trickling the tail.
     *
     * @param prefix sent at once on every connection (e.g. a valid first frame)
     * @param tail sent one byte per period, from the start again when it is through
     */
    public static Trickler open(InetSocketAddress target, int count, byte[] prefix, byte[] tail, Duration period)
            throws IOException {
        return new Trickler(target, count, prefix, tail, period);
    }

    private Trickler(InetSocketAddress target, int count, byte[] prefix, byte[] tail, Duration period)
            throws IOException {
        this.selector = Selector.open();
        this.tail = tail.clone();
        this.periodNanos = period.toNanos();
        for (int i = 0; i < count; i++) {
            SocketChannel channel;
            try {
                channel = SocketChannel.open(target);
                channel.write(ByteBuffer.wrap(prefix));
            } catch (IOException refused) {
                closedByServer.incrementAndGet();
                continue;
            }
            channel.configureBlocking(false);
            Conn conn = new Conn(channel);
            channel.register(selector, SelectionKey.OP_READ, conn);
            connections.add(conn);
        }
        thread = new Thread(this::loop, "test-trickler-" + target.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Connections the server has not closed yet. */
    public int stillOpen() {
        return (int) connections.stream().filter(c -> !c.closed).count();
    }

    /** Connections the server closed, reset or refused. */
    public int closedByServer() {
        return closedByServer.get();
    }

    private void loop() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long nextTick = System.nanoTime() + periodNanos;
        try {
            while (!stopped) {
                long waitMs = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000);
                selector.select(waitMs);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn conn = (Conn) key.attachment();
                    try {
                        sink.clear();
                        if (conn.channel.read(sink) < 0) {
                            lost(conn, key);
                        }
                    } catch (IOException e) {
                        lost(conn, key);
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - nextTick >= 0) {
                    nextTick += periodNanos;
                    for (SelectionKey key : selector.keys()) {
                        Conn conn = (Conn) key.attachment();
                        try {
                            conn.channel.write(ByteBuffer.wrap(tail, conn.next++ % tail.length, 1));
                        } catch (IOException e) {
                            lost(conn, key);
                        }
                    }
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed
        }
    }

    private void lost(Conn conn, SelectionKey key) {
        if (!conn.closed) {
            conn.closed = true;
            closedByServer.incrementAndGet();
        }
        key.cancel();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }

    @Override
    public void close() {
        stopped = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn conn : connections) {
            try {
                conn.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
