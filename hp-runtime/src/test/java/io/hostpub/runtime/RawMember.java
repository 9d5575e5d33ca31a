package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory;
import io.hostpub.admin.api.transport.SecretScope;
import io.hostpub.admin.api.transport.StubCodec;
import io.hostpub.admin.api.wire.FrameCodec;
import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.Message;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.registry.LocateRegistry;

/** A subordinate spoken by the test itself over the private protocol, for what a real runtime never does. */
final class RawMember {

    private RawMember() {
    }

    /** A raw link that has sent its ANNOUNCE; the caller reads the verdict. */
    static Socket announce(RuntimeFixture machine, String name, long pid, int holdings, byte[] stub) throws Exception {
        return announce(machine, name, pid, holdings, stub, 0);
    }

    /** As {@link #announce(RuntimeFixture, String, long, int, byte[])}, with a receive buffer size (0: the default). */
    static Socket announce(RuntimeFixture machine, String name, long pid, int holdings, byte[] stub,
            int receiveBufferBytes) throws Exception {
        Socket s = new Socket();
        if (receiveBufferBytes > 0) {
            s.setReceiveBufferSize(receiveBufferBytes); // before connect: it sets the window the peer is offered
        }
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), machine.port), 10_000);
        s.setSoTimeout(10_000);
        new Handshake(machine.secret()).asClient(s.getInputStream(), s.getOutputStream());
        FrameCodec.write(s.getOutputStream(), new Message.RegistryQuery());
        assertThat(FrameCodec.read(s.getInputStream())).isInstanceOf(Message.RegistryInfo.class);
        FrameCodec.write(s.getOutputStream(), new Message.Announce(name, pid, holdings, stub));
        return s;
    }

    /** Reads past the rosters to the verdict, which must be ACCEPTED. */
    static void awaitAccepted(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        Message verdict;
        do {
            verdict = FrameCodec.read(in);
        } while (verdict instanceof Message.Roster);
        assertThat(verdict).isInstanceOf(Message.Accepted.class);
    }

    /** A real admin stub, as the registry hands it out (a member announces one like it). */
    static byte[] stubOf(RuntimeFixture machine, HostpubRuntime supervisor, String name) throws Exception {
        var secret = machine.secret();
        var registry = LocateRegistry.getRegistry("127.0.0.1", supervisor.registryPort().orElseThrow(),
                new AuthenticatedClientSocketFactory(secret));
        AdminServer stub = SecretScope.call(secret, () -> (AdminServer) registry.lookup(name));
        return StubCodec.write(stub);
    }
}
