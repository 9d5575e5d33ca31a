package io.hostpub.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal's bytes are pinned in {@code journal-vectors.txt}: existing journals must stay readable. */
class JournalRecordTest {

    static final Map<String, JournalRecord> SAMPLES = Map.of(
            "ACQUIRE", JournalRecord.acquire("monitor/local/l1", 7, "monitor local/l1 on n1 pid 4300"),
            "PUT", JournalRecord.put("agent/n1", 3, "jobs/web/clone-1", "{\"pid\":4242}".getBytes(
                    StandardCharsets.UTF_8)),
            "DELETE", JournalRecord.delete("agent/n1", 3, "jobs/web/clone-1"));

    private static Map<String, byte[]> vectors() throws IOException {
        Map<String, byte[]> vectors = new LinkedHashMap<>();
        try (InputStream in = JournalRecordTest.class.getResourceAsStream("/journal-vectors.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split("\\s+");
                    vectors.put(parts[0], HexFormat.of().parseHex(parts[1]));
                }
            }
        }
        return vectors;
    }

    @Test
    void everyOperationHasAVectorAndEncodesToIt() throws IOException {
        Map<String, byte[]> vectors = vectors();
        assertThat(vectors.keySet()).containsExactlyInAnyOrder("ACQUIRE", "PUT", "DELETE");
        for (Map.Entry<String, JournalRecord> sample : SAMPLES.entrySet()) {
            ByteBuffer frame = sample.getValue().frame();
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            assertThat(HexFormat.of().formatHex(bytes)).as(sample.getKey())
                    .isEqualTo(HexFormat.of().formatHex(vectors.get(sample.getKey())));
        }
    }

    @Test
    void vectorsDecodeToTheSamples() throws IOException {
        for (Map.Entry<String, byte[]> vector : vectors().entrySet()) {
            byte[] payload = JournalRecord.nextPayload(ByteBuffer.wrap(vector.getValue()));
            JournalRecord decoded = JournalRecord.decode(payload);
            JournalRecord sample = SAMPLES.get(vector.getKey());
            assertThat(decoded.op()).isEqualTo(sample.op());
            assertThat(decoded.scope()).isEqualTo(sample.scope());
            assertThat(decoded.epoch()).isEqualTo(sample.epoch());
            assertThat(decoded.text()).isEqualTo(sample.text());
            assertThat(decoded.value()).isEqualTo(sample.value());
        }
    }

    @Test
    void aTornOrCorruptFrameIsNotReadAndLeavesTheBufferWhereItWas() throws IOException {
        byte[] frame = vectors().get("PUT");
        ByteBuffer torn = ByteBuffer.wrap(frame, 0, frame.length - 1);
        assertThat(JournalRecord.nextPayload(torn)).isNull();
        assertThat(torn.position()).isZero();
        byte[] flipped = frame.clone();
        flipped[frame.length - 2] ^= 1;
        ByteBuffer corrupt = ByteBuffer.wrap(flipped);
        assertThat(JournalRecord.nextPayload(corrupt)).isNull();
        assertThat(corrupt.position()).isZero();
        byte[] unknownOp = JournalRecord.nextPayload(ByteBuffer.wrap(frame));
        unknownOp[0] = 9;
        assertThatThrownBy(() -> JournalRecord.decode(unknownOp)).hasMessageContaining("unknown operation 9");
    }
}
