package io.hostpub.coordinator.api;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How this installation speaks on the cluster wire: every request signed with the installation secret, and TLS with
 * the installation's certificates when the plan asks for it. Servers and clients of one installation are made from
 * the same value, so none of them speaks plain HTTP to a TLS peer.
 */
public record ClusterWire(RequestSigner signer, Optional<ClusterTls> tls) {

    public ClusterWire {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(tls, "tls");
    }

    /** Signed, over plain HTTP. */
    public static ClusterWire plain(RequestSigner signer) {
        return new ClusterWire(signer, Optional.empty());
    }

    /** The wire {@code plan} asks for (TLS when it has {@code tls}), signed with {@code secret}. */
    public static ClusterWire of(ClusterPlan plan, InstallationSecret secret) throws IOException {
        return new ClusterWire(new RequestSigner(secret, Clock.systemUTC()), ClusterTls.of(plan));
    }

    /** A client that connects within {@code connectTimeout}. */
    public ClusterClient client(Duration connectTimeout) {
        return new ClusterClient(signer, connectTimeout, tls);
    }
}
