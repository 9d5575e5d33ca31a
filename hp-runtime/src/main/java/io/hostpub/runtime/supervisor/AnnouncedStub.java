package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.transport.SecretScope;
import io.hostpub.admin.api.transport.StubCodec;
import io.hostpub.admin.api.wire.InstallationSecret;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.rmi.Remote;

/**
 * A subordinate's admin stub as it arrived in ANNOUNCE: bound in the registry as bytes, and read into a stub only
 * afterwards. Reading a stub registers it with RMI's distributed GC, which makes a synchronous call to the
 * subordinate's JVM over a new authenticated connection: tens of milliseconds when a whole machine re-registers
 * at once after a failover. So the supervisor binds this holder, answers ACCEPTED, and only then reads the stub
 * (on the link's thread, closing the link if it is refused). Whoever looks the name up first after that gets the
 * stub already read; should a lookup come first, it reads the stub then, under the same allow-list.
 *
 * <p>The holder itself never crosses the wire: the registry marshals what {@link #writeReplace} returns, the stub.
 */
final class AnnouncedStub implements Remote, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient byte[] bytes;
    private final transient InstallationSecret secret;
    private transient AdminServer stub;
    private transient IOException refused;

    AnnouncedStub(byte[] bytes, InstallationSecret secret) {
        this.bytes = bytes.clone();
        this.secret = secret;
    }

    /**
     * Reads the stub (once) with the admin allow-list.
     *
     * @throws IOException if the bytes are not an admin stub, every time after the first failure too
     */
    synchronized AdminServer resolve() throws IOException {
        if (stub != null) {
            return stub;
        }
        if (refused != null) {
            throw refused;
        }
        try {
            stub = SecretScope.call(secret, () -> StubCodec.read(bytes));
            return stub;
        } catch (IOException e) {
            refused = e;
            throw e;
        } catch (Exception e) {
            refused = new IOException(e.getMessage(), e);
            throw refused;
        }
    }

    @Serial
    private Object writeReplace() throws ObjectStreamException {
        try {
            return resolve();
        } catch (IOException e) {
            throw new InvalidObjectException("announced stub refused: " + e.getMessage());
        }
    }
}
