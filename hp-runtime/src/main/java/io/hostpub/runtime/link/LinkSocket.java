package io.hostpub.runtime.link;

import io.hostpub.admin.api.wire.FrameCodec;
import io.hostpub.admin.api.wire.Message;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** One end of a link: a socket with a single reader and serialized writers. */
public final class LinkSocket implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();

    public LinkSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1024);
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /** Blocking read of the next message. */
    public Message read() throws IOException {
        return FrameCodec.read(in);
    }

    public void send(Message message) throws IOException {
        byte[] frame = FrameCodec.encode(message);
        synchronized (writeLock) {
            out.write(frame);
            out.flush();
        }
    }

    /** Sends, swallowing failure: the reader sees the broken link and handles it. */
    public boolean trySend(Message message) {
        try {
            send(message);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public String peer() {
        return socket.getRemoteSocketAddress() + "";
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
