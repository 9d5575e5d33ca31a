package io.hostpub.admin.api.transport;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.filter.AdminSerialFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * An admin stub as bytes, so a subordinate can hand its stub to the supervisor inside ANNOUNCE. Reading applies
 * the admin allow-list: only an {@link AdminServer} stub comes out, nothing else is instantiated.
 */
public final class StubCodec {

    private StubCodec() {
    }

    public static byte[] write(AdminServer stub) throws IOException {
        var bytes = new ByteArrayOutputStream(512);
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(stub);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a stub. Unmarshalling a remote reference registers it with RMI's distributed GC, which calls the
     * exporting JVM; the caller runs this inside a {@link SecretScope} so that call authenticates.
     */
    public static AdminServer read(byte[] bytes) throws IOException {
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(new AdminSerialFilter());
            Object value = in.readObject();
            if (!(value instanceof AdminServer stub)) {
                throw new InvalidObjectException("not an admin stub: " + (value == null ? "null" : value.getClass()));
            }
            if (in.read() != -1) {
                throw new InvalidObjectException("trailing bytes after the stub");
            }
            return stub;
        } catch (ClassNotFoundException e) {
            throw new InvalidObjectException("unknown class in stub: " + e.getMessage());
        }
    }
}
