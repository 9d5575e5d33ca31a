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
    void theSignatureMatchesItsVectorAndVerifiesOnlyUnchangedInTimeAndForItsDestination() throws IOException {
        // Signature <secret hex> <millis> <nonce> <method> <authority> <path> <body> -> <Authorization header>
        String[] parts = vectors().get("Signature").split(" ", 7);
        InstallationSecret secret = InstallationSecret.of(HexFormat.of().parseHex(parts[0]));
        Instant at = Instant.ofEpochMilli(Long.parseLong(parts[1]));
        String nonce = parts[2];
        String method = parts[3];
        String authority = parts[4];
        String path = parts[5];
        String[] bodyAndHeader = parts[6].split(" -> ");
        byte[] body = bodyAndHeader[0].getBytes(StandardCharsets.UTF_8);
        RequestSigner signer = new RequestSigner(secret, Clock.fixed(at, ZoneOffset.UTC));
        String header = signer.sign(method, authority, path, body, nonce);
        assertThat(header).isEqualTo(bodyAndHeader[1]);
        assertThat(signer.verify(header, method, authority, path, body))
                .contains(new RequestSigner.Signed(at.toEpochMilli(), nonce));
        assertThat(signer.verify(header, method, authority, "/status", body)).as("another path").isEmpty();
        assertThat(signer.verify(header, method, "127.0.0.3:41000", path, body)).as("another destination").isEmpty();
        assertThat(signer.verify(header, method, authority, path, "{}".getBytes(StandardCharsets.UTF_8)))
                .as("another body").isEmpty();
        assertThat(signer.verify(header.replace(nonce, "0".repeat(32)), method, authority, path, body))
                .as("another nonce").isEmpty();
        RequestSigner later = new RequestSigner(secret, Clock.fixed(at.plus(RequestSigner.MAX_SKEW).plusMillis(1),
                ZoneOffset.UTC));
        assertThat(later.verify(header, method, authority, path, body)).as("a replay after the window").isEmpty();
        assertThat(signer.sign(method, authority, path, body)).as("a fresh nonce each time")
                .isNotEqualTo(signer.sign(method, authority, path, body));
    }

    @Test
    void aNonceIsAcceptedOnceWithinTheWindow() {
        Instant now = Instant.ofEpochMilli(1796104800000L);
        ReplayGuard guard = new ReplayGuard(Clock.fixed(now, ZoneOffset.UTC));
        RequestSigner.Signed first = new RequestSigner.Signed(now.toEpochMilli(), "a".repeat(32));
        assertThat(guard.firstUse(first)).isTrue();
        assertThat(guard.firstUse(first)).as("the same request again").isFalse();
        assertThat(guard.firstUse(new RequestSigner.Signed(now.toEpochMilli(), "b".repeat(32)))).isTrue();
    }

    private static List<Route<?, ?>> concat(List<Route<?, ?>> a, List<Route<?, ?>> b) {
        List<Route<?, ?>> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
