package io.hostpub.admin.api.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Frames on the wire: {@code type:u8 | length:u32 big-endian | payload[length]}, at most
 * {@link #MAX_PAYLOAD} payload bytes. A frame is read whole before it is decoded, so a bad frame never
 * leaves the stream half-consumed in a way the caller could misread: the caller closes the link.
 */
public final class FrameCodec {

    /** Hard maximum payload size; a larger length field is a protocol violation. */
    public static final int MAX_PAYLOAD = 16 * 1024;

    private FrameCodec() {
    }

    /** Encodes a whole frame. */
    public static byte[] encode(Message message) {
        try {
            var payload = new ByteArrayOutputStream(64);
            message.writePayload(new DataOutputStream(payload));
            if (payload.size() > MAX_PAYLOAD) {
                throw new IllegalArgumentException(message.type() + " payload of " + payload.size()
                        + " bytes exceeds " + MAX_PAYLOAD);
            }
            var frame = new ByteArrayOutputStream(5 + payload.size());
            var out = new DataOutputStream(frame);
            out.writeByte(message.type().code());
            out.writeInt(payload.size());
            payload.writeTo(out);
            return frame.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    /** Writes one frame and flushes. Callers that share a stream serialize writes themselves. */
    public static void write(OutputStream out, Message message) throws IOException {
        out.write(encode(message));
        out.flush();
    }

    /**
     * Reads one frame, blocking.
     *
     * @throws EOFException at a clean end of stream before the first byte of a frame
     * @throws ProtocolException for an unknown code, a bad length, a truncated frame or an invalid payload
     */
    public static Message read(InputStream in) throws IOException {
        int code = in.read();
        if (code < 0) {
            throw new EOFException("end of stream");
        }
        MessageType type = MessageType.ofCode(code);
        var data = new DataInputStream(in);
        int length;
        byte[] payload;
        try {
            length = data.readInt();
            if (length < 0 || length > MAX_PAYLOAD) {
                throw new ProtocolException(type + " frame length " + Integer.toUnsignedString(length)
                        + " outside 0.." + MAX_PAYLOAD);
            }
            payload = new byte[length];
            data.readFully(payload);
        } catch (EOFException e) {
            throw new ProtocolException(type + " frame truncated by end of stream");
        }
        return MessageDecoder.decode(type, payload);
    }
}
