package io.hostpub.admin.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bytes of every message are pinned in {@code wire-vectors.txt}: a change to the wire is deliberate. */
class WireVectorsTest {

    private static Map<String, String> vectors() throws IOException {
        Map<String, String> vectors = new LinkedHashMap<>();
        try (InputStream in = WireVectorsTest.class.getResourceAsStream("/wire-vectors.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                vectors.put(parts[0], parts[1]);
            }
        }
        return vectors;
    }

    @Test
    void everyMessageTypeHasAVector() throws IOException {
        Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
        for (String name : vectors().keySet()) {
            covered.add(MessageType.valueOf(name));
        }
        assertThat(covered).containsExactlyInAnyOrder(MessageType.values());
    }

    @Test
    void encodingMatchesTheVectors() throws IOException {
        Map<String, String> vectors = vectors();
        WireSamples.all().forEach((name, message) ->
                assertThat(HexFormat.of().formatHex(FrameCodec.encode(message))).as(name).isEqualTo(vectors.get(name)));
    }

    @Test
    void vectorsDecodeToTheSampleMessages() throws IOException {
        Map<String, Message> samples = WireSamples.all();
        for (var vector : vectors().entrySet()) {
            byte[] bytes = HexFormat.of().parseHex(vector.getValue());
            Message decoded = FrameCodec.read(new ByteArrayInputStream(bytes));
            assertThat(decoded.type().name()).isEqualTo(vector.getKey());
            assertThat(FrameCodec.encode(decoded)).isEqualTo(FrameCodec.encode(samples.get(vector.getKey())));
        }
    }
}
