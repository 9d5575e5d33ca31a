package io.hostpub.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.wire.InstallationSecret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The JSON of every body on the cluster wire, and one signature, are pinned in {@code cluster-vectors.txt}: a change
 * to the wire is deliberate (and bumps {@link ClusterProtocol#VERSION} when old peers would misread it).
 */
class ClusterVectorsTest {

    private static Map<String, String> vectors() throws IOException {
        Map<String, String> vectors = new LinkedHashMap<>();
        try (InputStream in = ClusterVectorsTest.class.getResourceAsStream("/cluster-vectors.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                vectors.put(line.substring(0, space), line.substring(space + 1).trim());
            }
        }
        return vectors;
    }

    @Test
    void everyRequestAndReplyTypeOfEveryRouteHasAVector() throws IOException {
        Set<String> types = new TreeSet<>();
        for (Route<?, ?> route : concat(ClusterRoutes.agent(), ClusterRoutes.monitor())) {
            types.add(route.request().getSimpleName());
            types.add(route.reply().getSimpleName());
        }
        Set<String> covered = new TreeSet<>();
        vectors().keySet().forEach(name -> covered.add(name.split("\\.")[0]));
        assertThat(covered).containsAll(types);
    }

    @Test
    void encodingMatchesTheVectors() throws IOException {
        Map<String, String> vectors = vectors();
        ClusterSamples.all().forEach((name, body) -> assertThat(Json.writeString(body)).as(name)
                .isEqualTo(vectors.get(name)));
    }

    @Test
    void vectorsDecodeToTheSamples() throws IOException {
        Map<String, Object> samples = ClusterSamples.all();
        for (Map.Entry<String, String> vector : vectors().entrySet()) {
            if (vector.getKey().startsWith("Signature")) {
                continue;
            }
            Object sample = samples.get(vector.getKey());
            assertThat(sample).as("a sample for vector " + vector.getKey()).isNotNull();
            assertThat(Json.read(vector.getValue(), sample.getClass())).as(vector.getKey()).isEqualTo(sample);
        }
    }

    @Test
    void theSignatureMatchesItsVectorAndVerifiesOnlyUnchangedAndInTime() throws IOException {
        // Signature <secret hex> <millis> <method> <path> <body> -> <Authorization header>
        String[] parts = vectors().get("Signature").split(" ", 5);
        InstallationSecret secret = InstallationSecret.of(HexFormat.of().parseHex(parts[0]));
        Instant at = Instant.ofEpochMilli(Long.parseLong(parts[1]));
        String[] bodyAndHeader = parts[4].split(" -> ");
        byte[] body = bodyAndHeader[0].getBytes(StandardCharsets.UTF_8);
        RequestSigner signer = new RequestSigner(secret, Clock.fixed(at, ZoneOffset.UTC));
        String header = signer.sign(parts[2], parts[3], body);
        assertThat(header).isEqualTo(bodyAndHeader[1]);
        assertThat(signer.verify(header, parts[2], parts[3], body)).isTrue();
        assertThat(signer.verify(header, parts[2], "/status", body)).as("another path").isFalse();
        assertThat(signer.verify(header, parts[2], parts[3], "{}".getBytes(StandardCharsets.UTF_8)))
                .as("another body").isFalse();
        RequestSigner later = new RequestSigner(secret, Clock.fixed(at.plus(RequestSigner.MAX_SKEW).plusMillis(1),
                ZoneOffset.UTC));
        assertThat(later.verify(header, parts[2], parts[3], body)).as("a replay after the window").isFalse();
    }

    private static List<Route<?, ?>> concat(List<Route<?, ?>> a, List<Route<?, ?>> b) {
        List<Route<?, ?>> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
