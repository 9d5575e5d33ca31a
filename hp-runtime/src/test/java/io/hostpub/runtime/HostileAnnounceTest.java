package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.FrameCodec;
import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.Message;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An authenticated peer that announces something other than an admin stub: the link is closed with a reason,
 * nothing is instantiated, the name is unbound again, and the supervisor keeps serving everyone else. (The
 * supervisor binds an announced stub as bytes and reads it right after ACCEPTED, see {@code AnnouncedStub}.)
 */
class HostileAnnounceTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;
    HostpubRuntime supervisor;

    @BeforeEach
    void setUp() {
        machine = new RuntimeFixture(home);
        supervisor = machine.start("sup");
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    private Message announce(byte[] stub) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), machine.port)) {
            s.setSoTimeout(10_000);
            new Handshake(machine.secret()).asClient(s.getInputStream(), s.getOutputStream());
            FrameCodec.write(s.getOutputStream(), new Message.RegistryQuery());
            assertThat(FrameCodec.read(s.getInputStream())).isInstanceOf(Message.RegistryInfo.class);
            FrameCodec.write(s.getOutputStream(), new Message.Announce("intruder", 1, 0, stub));
            Message answer;
            do {
                answer = FrameCodec.read(s.getInputStream());
            } while (answer instanceof Message.Roster || answer instanceof Message.Accepted);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            await().untilAsserted(() -> assertThat(supervisor.registryNames().orElseThrow()).doesNotContain("intruder"));
            return answer;
        }
    }

    private static byte[] serialized(Object value) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    @Test
    void garbageStubIsRefused() throws Exception {
        Message answer = announce(new byte[] {1, 2, 3, 4});
        assertThat(answer).isInstanceOf(Message.Failure.class);
        assertThat(((Message.Failure) answer).reason()).contains("announced stub refused");
    }

    @Test
    void objectOutsideTheAllowListIsNeverInstantiated() throws Exception {
        HashMap<String, String> gadget = new HashMap<>();
        gadget.put("k", "v");
        Message answer = announce(serialized(gadget));
        assertThat(answer).isInstanceOf(Message.Failure.class);
        assertThat(((Message.Failure) answer).reason()).contains("announced stub refused").contains("REJECTED");
    }

    @Test
    void anAllowedObjectThatIsNotAStubIsRefused() throws Exception {
        Message answer = announce(serialized("just a string"));
        assertThat(((Message.Failure) answer).reason()).contains("not an admin stub");
    }

    @Test
    void theSupervisorKeepsServingAfterHostileAnnounces() throws Exception {
        announce(new byte[] {9});
        announce(serialized(new HashMap<>()));
        HostpubRuntime good = machine.start("good");
        await().untilAsserted(() -> assertThat(supervisor.registryNames().orElseThrow())
                .containsExactlyInAnyOrder("main", "sup", "good").doesNotContain("intruder"));
        assertThat(good.role()).isEqualTo(io.hostpub.admin.api.model.Role.SUBORDINATE);
    }

    @Test
    void abortedConnectionsDoNotExhaustTheHandshakeSlots() throws Exception {
        // more aborted peers than the supervisor serves unauthenticated at once: each slot must come back
        for (int i = 0; i < 100; i++) {
            Socket s = new Socket(InetAddress.getByName("127.0.0.1"), machine.port);
            s.setSoLinger(true, 0);
            s.close();
        }
        HostpubRuntime late = machine.start("late");
        assertThat(late.role()).isEqualTo(io.hostpub.admin.api.model.Role.SUBORDINATE);
        await().untilAsserted(() -> assertThat(supervisor.registryNames().orElseThrow()).contains("late"));
    }
}
