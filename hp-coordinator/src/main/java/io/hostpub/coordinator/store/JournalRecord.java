package io.hostpub.coordinator.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One change of the embedded store and its bytes in {@code store.journal} (vectors in {@code journal-vectors.txt}).
 *
 * <pre>
 *   frame   = length:i32 crc32c(payload):i32 payload
 *   payload = op:u8 scope:UTF epoch:i64, then
 *             holder:UTF                    (op 1, ACQUIRE: the scope's fence moves to epoch)
 *             key:UTF n:i32 value:n bytes   (op 2, PUT)
 *             key:UTF                       (op 3, DELETE)
 * </pre>
 *
 * UTF is Java's {@code writeUTF} (length:u16 then modified UTF-8, which equals UTF-8 for the validated scopes, keys and
 * holders written here).
 *
 * @param text  the holder (ACQUIRE) or the key (PUT, DELETE)
 * @param value the value of a PUT, else null
 */
record JournalRecord(Op op, String scope, long epoch, String text, byte[] value) {

    /** The largest value a PUT carries. */
    static final int MAX_VALUE = 1 << 20;
    /** The largest payload a valid frame holds: a maximal value and its names. */
    static final int MAX_PAYLOAD = MAX_VALUE + 4096;
    static final int FRAME_HEADER = 8;

    enum Op {
        ACQUIRE(1), PUT(2), DELETE(3);

        final byte code;

        Op(int code) {
            this.code = (byte) code;
        }

        static Op of(byte code) throws IOException {
            for (Op op : values()) {
                if (op.code == code) {
                    return op;
                }
            }
            throw new IOException("a journal record with unknown operation " + code);
        }
    }

    JournalRecord {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(text, "text");
        if ((op == Op.PUT) != (value != null)) {
            throw new IllegalArgumentException(op + " record " + (value == null ? "without" : "with") + " a value");
        }
    }

    static JournalRecord acquire(String scope, long epoch, String holder) {
        return new JournalRecord(Op.ACQUIRE, scope, epoch, holder, null);
    }

    static JournalRecord put(String scope, long epoch, String key, byte[] value) {
        return new JournalRecord(Op.PUT, scope, epoch, key, value);
    }

    static JournalRecord delete(String scope, long epoch, String key) {
        return new JournalRecord(Op.DELETE, scope, epoch, key, null);
    }

    byte[] payload() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(op.code);
            out.writeUTF(scope);
            out.writeLong(epoch);
            out.writeUTF(text);
            if (op == Op.PUT) {
                out.writeInt(value.length);
                out.write(value);
            }
        }
        return bytes.toByteArray();
    }

    /** The whole frame, ready to append. */
    ByteBuffer frame() throws IOException {
        byte[] payload = payload();
        ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + payload.length);
        frame.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        return frame;
    }

    static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    /**
     * The next whole, intact frame of {@code in}, consumed; null (and {@code in} unchanged) when what remains is
     * short, oversized or fails its CRC: a record torn by a crash.
     */
    static byte[] nextPayload(ByteBuffer in) {
        if (in.remaining() < FRAME_HEADER) {
            return null;
        }
        int start = in.position();
        int length = in.getInt();
        int crc = in.getInt();
        if (length < 0 || length > MAX_PAYLOAD || length > in.remaining()) {
            in.position(start);
            return null;
        }
        byte[] payload = new byte[length];
        in.get(payload);
        if (crc(payload) != crc) {
            in.position(start);
            return null;
        }
        return payload;
    }

    /** The smallest payload a record can have: op, an empty scope, the epoch, an empty text. */
    private static final int MIN_PAYLOAD = 1 + 2 + 8 + 2;

    /**
     * Where the first intact frame starts after a bad one at {@code from}, or -1 if none does. A crash tears only the
     * last append, so an intact frame after a bad one means the bad one is damage inside the file (a flipped bit,
     * a bad sector, an editor), not a torn write. Looks at every byte position: the bad frame's own length may be
     * what is damaged. A chance match needs a plausible length and a matching CRC-32C, and a decodable payload.
     */
    static int intactFrameAfter(ByteBuffer in, int from) {
        int limit = in.limit();
        for (int p = from + 1; p + FRAME_HEADER + MIN_PAYLOAD <= limit; p++) {
            int length = in.getInt(p);
            if (length < MIN_PAYLOAD || length > MAX_PAYLOAD || length > limit - p - FRAME_HEADER) {
                continue;
            }
            byte[] payload = new byte[length];
            in.get(p + FRAME_HEADER, payload);
            if (crc(payload) == in.getInt(p + 4) && decodes(payload)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean decodes(byte[] payload) {
        try {
            decode(payload);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static JournalRecord decode(byte[] payload) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        Op op = Op.of(in.get());
        String scope = readUtf(in);
        long epoch = in.getLong();
        String text = readUtf(in);
        byte[] value = null;
        if (op == Op.PUT) {
            value = new byte[in.getInt()];
            in.get(value);
        }
        return new JournalRecord(op, scope, epoch, text, value);
    }

    private static String readUtf(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
