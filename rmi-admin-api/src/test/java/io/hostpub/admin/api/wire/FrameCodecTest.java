package io.hostpub.admin.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static Message read(String hex) throws Exception {
        return FrameCodec.read(new ByteArrayInputStream(HexFormat.of().parseHex(hex)));
    }

    @Test
    void cleanEndOfStreamIsEof() {
        assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
    }

    @Test
    void unknownCodeIsNamed() {
        assertThatThrownBy(() -> read("5500000000")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown message code 0x55");
    }

    @Test
    void oversizedLengthIsRejectedBeforeAllocation() {
        assertThatThrownBy(() -> read("40" + "7fffffff")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("outside 0.." + FrameCodec.MAX_PAYLOAD);
        assertThatThrownBy(() -> read("40" + "ffffffff")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("4294967295");
    }

    @Test
    void truncatedFrameIsAProtocolError() {
        assertThatThrownBy(() -> read("400000000800")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read("4000")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void trailingPayloadBytesAreRejected() {
        assertThatThrownBy(() -> read("40000000090000000000000063ff")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void invalidFieldsAreRejected() {
        // LICENSE_RELEASE with 0 units
        assertThatThrownBy(() -> read("330000000400000000")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("units must be positive");
        // ERROR with invalid UTF-8
        assertThatThrownBy(() -> read("7f000000040002c328")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("UTF-8");
        // string length beyond the maximum
        assertThatThrownBy(() -> read("7f00000002ffff")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void rosterFieldsAreChecked() {
        // a member count beyond the maximum, refused before any pid is read
        assertThatThrownBy(() -> read("5000000002ffff")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds " + Message.MAX_ROSTER);
        // a zero pid
        assertThatThrownBy(() -> read("500000000a00010000000000000000")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("pid must be positive");
        // two members announced, one sent
        assertThatThrownBy(() -> read("500000000a00020000000000001092")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
        // the largest roster fits one frame, one more member is refused by the writer
        long[] largest = new long[Message.MAX_ROSTER];
        java.util.Arrays.fill(largest, 1);
        assertThat(FrameCodec.encode(new Message.Roster(largest))).hasSize(5 + 2 + 8 * Message.MAX_ROSTER);
        assertThatThrownBy(() -> new Message.Roster(new long[Message.MAX_ROSTER + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writerRefusesOversizedStrings() {
        assertThatThrownBy(() -> new Message.Failure("x".repeat(Message.MAX_STRING_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FrameCodec.encode(new Message.Failure("x".repeat(Message.MAX_STRING_BYTES)))).hasSize(5 + 2 + 1024);
    }
}
