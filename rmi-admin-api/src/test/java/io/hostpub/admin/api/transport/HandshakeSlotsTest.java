package io.hostpub.admin.api.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Full slots make room by closing the oldest connection of the source that holds the most. */
class HandshakeSlotsTest {

    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket server;
    private HandshakeSlots.Slot lastSlot;

    @BeforeEach
    void setUp() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
    }

    @Test
    void aFloodFromOneSourceDisplacesItsOwnConnectionsFirst() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(4);
        Socket a1 = acceptFrom("127.0.0.1", slots);
        Socket b1 = acceptFrom("127.0.0.2", slots);
        Socket a2 = acceptFrom("127.0.0.1", slots);
        Socket a3 = acceptFrom("127.0.0.1", slots);
        assertThat(slots.pending()).isEqualTo(4);

        Socket b2 = acceptFrom("127.0.0.2", slots);
        assertThat(a1.isClosed()).as("the busiest source's oldest").isTrue();
        assertThat(List.of(b1, a2, a3, b2)).noneMatch(Socket::isClosed);
        assertThat(slots.pending()).isEqualTo(4);
        assertThat(slots.evictions()).isEqualTo(1);
    }

    @Test
    void oneSourceOnlyLosesItsOldestAndAReleasedSlotIsFree() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(2);
        Socket first = acceptFrom("127.0.0.1", slots);
        Socket second = acceptFrom("127.0.0.1", slots);
        assertThat(acceptFrom("127.0.0.1", slots).isClosed()).isFalse();
        assertThat(first.isClosed()).isTrue();

        // a finished handshake gives its slot back: the next newcomer displaces nobody
        lastSlot.release();
        lastSlot.release();
        acceptFrom("127.0.0.1", slots);
        assertThat(second.isClosed()).isFalse();
        assertThat(slots.evictions()).isEqualTo(1);
        assertThat(slots.pending()).isEqualTo(2);
    }

    /** Connects from {@code source} and admits the accepted end; returns the accepted end. */
    private Socket acceptFrom(String source, HandshakeSlots slots) throws Exception {
        Socket client = new Socket();
        client.bind(new InetSocketAddress(source, 0));
        client.connect(server.getLocalSocketAddress());
        sockets.add(client);
        Socket accepted = server.accept();
        sockets.add(accepted);
        lastSlot = slots.admit(accepted).slot();
        return accepted;
    }
}
