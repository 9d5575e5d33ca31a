package io.hostpub.admin.api.wire;

import static io.hostpub.admin.api.wire.Message.MAX_STRING_BYTES;
import static io.hostpub.admin.api.wire.Message.MAX_STUB_BYTES;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The field rules and writers the {@link Message} records share (their readers are in {@link MessageDecoder}). */
final class Fields {

    private Fields() {
    }

    static void requireStub(byte[] stub) {
        if (stub == null || stub.length == 0 || stub.length > MAX_STUB_BYTES) {
            throw new IllegalArgumentException("stub must have 1 to " + MAX_STUB_BYTES + " bytes");
        }
    }

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    static void requireLength(byte[] bytes, int length, String field) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes");
        }
    }

    static void requireString(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(field + " exceeds " + MAX_STRING_BYTES + " bytes");
        }
    }

    static void requirePositive(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive: " + units);
        }
    }

    /** Fails unless {@code value >= 0}, naming what it is ("negative holdings: -1"). */
    static void requireNonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException("negative " + what + ": " + value);
        }
    }

    /** Fails unless {@code pid} is a process id ({@code > 0}). */
    static void requirePid(long pid, String what) {
        if (pid <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + pid);
        }
    }

    /** Fails with {@code message} unless {@code valid}. */
    static void require(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }
}
