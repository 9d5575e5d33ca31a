package io.hostpub.admin.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class CodecPropertiesTest {

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> name = Arbitraries.strings().alpha().numeric().withChars("-_.<>/()").ofMinLength(1)
                .ofMaxLength(64);
        Arbitrary<byte[]> nonce = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<byte[]> mac = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<Integer> units = Arbitraries.integers().between(1, Integer.MAX_VALUE);
        Arbitrary<Long> longs = Arbitraries.longs();
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 65535), nonce)
                        .as(Message.Hello::new),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 65535), nonce, mac)
                        .as(Message.Challenge::new),
                mac.map(Message.Proof::new),
                Arbitraries.just(new Message.Welcome()),
                Arbitraries.just(new Message.RegistryQuery()),
                Combinators.combine(Arbitraries.integers().between(1, 65535), name).as(Message.RegistryInfo::new),
                Combinators.combine(name, longs, Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(600))
                        .as(Message.Announce::new),
                Arbitraries.just(new Message.Accepted()),
                text.map(t -> new Message.Rejected(t, -1)),
                Combinators.combine(longs, units).as(Message.LicenseAcquire::new),
                Combinators.combine(longs, units).as(Message.LicenseGranted::new),
                Combinators.combine(longs, text).as(Message.LicenseDenied::new),
                units.map(Message.LicenseRelease::new),
                longs.map(Message.Probe::new),
                longs.map(Message.ProbeAck::new),
                Arbitraries.longs().greaterOrEqual(1).array(long[].class).ofMaxSize(Message.MAX_ROSTER)
                        .map(Message.Roster::new),
                Arbitraries.just(new Message.Successor()),
                Combinators.combine(name, Arbitraries.longs().greaterOrEqual(1),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(600))
                        .as(Message.MemberUp::new),
                Combinators.combine(name, Arbitraries.longs().greaterOrEqual(1)).as(Message.MemberDown::new),
                text.map(Message.Failure::new));
    }

    @Property
    void everyMessageRoundTrips(@ForAll("messages") Message message) throws IOException {
        byte[] frame = FrameCodec.encode(message);
        Message decoded = FrameCodec.read(new ByteArrayInputStream(frame));
        assertThat(decoded.type()).isEqualTo(message.type());
        assertThat(FrameCodec.encode(decoded)).isEqualTo(frame);
        if (!(message instanceof Message.Hello || message instanceof Message.Challenge
                || message instanceof Message.Proof || message instanceof Message.Announce
                || message instanceof Message.MemberUp)) {
            assertThat(decoded).isEqualTo(message);
        }
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverThrowPastTheFrameReader(@ForAll @Size(max = 300) byte[] garbage) {
        var in = new ByteArrayInputStream(garbage);
        try {
            while (true) {
                FrameCodec.read(in);
            }
        } catch (EOFException | ProtocolException expected) {
            // the only two outcomes the link loop must handle
        } catch (IOException e) {
            throw new AssertionError("unexpected IOException type " + e.getClass(), e);
        }
    }

    @Property(tries = 500)
    void garbageAfterAValidTypeByteIsHandled(@ForAll("codes") int code, @ForAll @Size(max = 80) byte[] rest) {
        byte[] bytes = new byte[rest.length + 1];
        bytes[0] = (byte) code;
        System.arraycopy(rest, 0, bytes, 1, rest.length);
        try {
            FrameCodec.read(new ByteArrayInputStream(bytes));
        } catch (ProtocolException | EOFException expected) {
            // fine
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<Integer> codes() {
        return Arbitraries.of(MessageType.values()).map(MessageType::code);
    }
}
