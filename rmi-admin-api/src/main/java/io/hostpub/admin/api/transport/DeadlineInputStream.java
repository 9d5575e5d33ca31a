package io.hostpub.admin.api.transport;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Reads from a peer against one total deadline. A socket's read timeout restarts with every byte, so a peer that
 * sends one byte every few seconds never trips it; here each read may wait only for what is left of the deadline,
 * and a read once the deadline passed fails at once. Used for handshakes, where an honest peer needs milliseconds.
 * The caller restores the socket's read timeout afterwards.
 */
public final class DeadlineInputStream extends FilterInputStream {

    private final Socket socket;
    private final long deadlineNanos;
    private final long totalMs;

    /**
     * @param in the socket's stream (possibly buffered)
     * @param startNanos when the deadline began ({@link System#nanoTime()}, e.g. when the connection was accepted)
     */
    public DeadlineInputStream(Socket socket, InputStream in, long startNanos, long totalMs) {
        super(in);
        this.socket = socket;
        this.totalMs = totalMs;
        this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(totalMs);
    }

    @Override
    public int read() throws IOException {
        armTimeout();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        armTimeout();
        return super.read(b, off, len);
    }

    private void armTimeout() throws IOException {
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            throw new SocketTimeoutException("the peer did not finish within " + totalMs + " ms in all");
        }
        socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
    }
}
