package io.hostpub.admin.api.wire;

import static io.hostpub.admin.api.wire.Message.MAC_BYTES;
import static io.hostpub.admin.api.wire.Message.MAX_ROSTER;
import static io.hostpub.admin.api.wire.Message.MAX_STRING_BYTES;
import static io.hostpub.admin.api.wire.Message.NONCE_BYTES;

import io.hostpub.admin.api.wire.Message.Accepted;
import io.hostpub.admin.api.wire.Message.Announce;
import io.hostpub.admin.api.wire.Message.Challenge;
import io.hostpub.admin.api.wire.Message.Failure;
import io.hostpub.admin.api.wire.Message.Hello;
import io.hostpub.admin.api.wire.Message.LicenseAcquire;
import io.hostpub.admin.api.wire.Message.LicenseDenied;
import io.hostpub.admin.api.wire.Message.LicenseGranted;
import io.hostpub.admin.api.wire.Message.LicenseRelease;
import io.hostpub.admin.api.wire.Message.Probe;
import io.hostpub.admin.api.wire.Message.ProbeAck;
import io.hostpub.admin.api.wire.Message.Proof;
import io.hostpub.admin.api.wire.Message.RegistryInfo;
import io.hostpub.admin.api.wire.Message.RegistryQuery;
import io.hostpub.admin.api.wire.Message.Rejected;
import io.hostpub.admin.api.wire.Message.Roster;
import io.hostpub.admin.api.wire.Message.Welcome;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the payload of each {@link MessageType} into its {@link Message} record (the records write their own): every
 * length bounded before anything is allocated, every string checked UTF-8, trailing bytes refused.
 */
final class MessageDecoder {

    private MessageDecoder() {
    }

    /**
     * Decodes one payload of the given type.
     *
     * @throws ProtocolException if the payload is truncated, too long, or a field is invalid
     */
    static Message decode(MessageType type, byte[] payload) throws ProtocolException {
        var in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        try {
            Message message = switch (type) {
                case HELLO -> new Hello(in.readInt(), in.readUnsignedShort(), readBytes(in, NONCE_BYTES));
                case CHALLENGE -> new Challenge(in.readInt(), in.readUnsignedShort(), readBytes(in, NONCE_BYTES),
                        readBytes(in, MAC_BYTES));
                case PROOF -> new Proof(readBytes(in, MAC_BYTES));
                case WELCOME -> new Welcome();
                case REGISTRY_QUERY -> new RegistryQuery();
                case REGISTRY_INFO -> new RegistryInfo(in.readUnsignedShort(), readString(in));
                case ANNOUNCE -> new Announce(readString(in), in.readLong(), in.readInt(),
                        readBytes(in, in.readUnsignedShort()));
                case ACCEPTED -> new Accepted();
                case REJECTED -> new Rejected(readString(in), in.readLong());
                case LICENSE_ACQUIRE -> new LicenseAcquire(in.readLong(), in.readInt());
                case LICENSE_GRANTED -> new LicenseGranted(in.readLong(), in.readInt());
                case LICENSE_DENIED -> new LicenseDenied(in.readLong(), readString(in));
                case LICENSE_RELEASE -> new LicenseRelease(in.readInt());
                case LICENSE_LEASE -> new Message.LicenseLease(in.readLong(), in.readInt(), in.readInt());
                case LEASE_RECALL -> new Message.LeaseRecall();
                case LEASE_RETURN -> new Message.LeaseReturn(in.readInt());
                case ROSTER -> new Roster(readPids(in));
                case SUCCESSOR -> new Message.Successor();
                case MEMBER_UP -> new Message.MemberUp(readString(in), in.readLong(),
                        readBytes(in, in.readUnsignedShort()));
                case MEMBER_DOWN -> new Message.MemberDown(readString(in), in.readLong());
                case PROBE -> new Probe(in.readLong());
                case PROBE_ACK -> new ProbeAck(in.readLong());
                case ERROR -> new Failure(readString(in));
            };
            if (in.available() != 0) {
                throw new ProtocolException(type + " payload has " + in.available() + " trailing bytes");
            }
            return message;
        } catch (java.io.EOFException e) {
            throw new ProtocolException(type + " payload is truncated (" + payload.length + " bytes)");
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(type + " payload is invalid: " + e.getMessage());
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new ProtocolException(type + " payload is unreadable: " + e.getMessage());
        }
    }

    private static long[] readPids(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        if (count > MAX_ROSTER) {
            throw new ProtocolException("roster of " + count + " members exceeds " + MAX_ROSTER);
        }
        long[] pids = new long[count];
        for (int i = 0; i < count; i++) {
            pids[i] = in.readLong();
        }
        return pids;
    }

    private static byte[] readBytes(DataInputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        if (length > MAX_STRING_BYTES) {
            throw new ProtocolException("string field of " + length + " bytes exceeds " + MAX_STRING_BYTES);
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(readBytes(in, length))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ProtocolException("string field is not valid UTF-8");
        }
    }

}
