package io.hostpub.coordinator.api.rollout;

import java.util.Arrays;
import java.util.Objects;

/**
 * Part of a WAR version a peer agent keeps ({@code data} travels as base64): the whole file's size, where this part
 * starts, and its bytes (empty at the end of the file).
 */
public record WarPiece(long size, long offset, byte[] data) {

    /** The most one piece carries: a 20 MB WAR takes 20 calls, each reply well under the wire's 16 MiB limit. */
    public static final int MAX_DATA = 1 << 20;

    public WarPiece {
        Objects.requireNonNull(data, "data");
        if (size < 0 || offset < 0 || offset + data.length > size || data.length > MAX_DATA) {
            throw new IllegalArgumentException("piece of " + data.length + " bytes at " + offset + " does not fit a"
                    + " file of " + size + " bytes");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WarPiece o && size == o.size && offset == o.offset && Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, offset, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "WarPiece[" + data.length + " bytes at " + offset + " of " + size + "]";
    }
}
