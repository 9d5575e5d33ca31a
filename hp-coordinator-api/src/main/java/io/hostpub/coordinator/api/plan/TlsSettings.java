package io.hostpub.coordinator.api.plan;

import java.nio.file.Path;

/**
 * TLS for the cluster wire ({@code io.hostpub.coordinator.api.ClusterTls}): absent, the wire is plain HTTP.
 *
 * @param keyStore     PKCS#12 key store, relative to the installation home (default {@code conf/cluster-tls.p12})
 * @param passwordFile its password, first line (default {@code conf/cluster-tls.password}, mode 0600)
 */
public record TlsSettings(String keyStore, String passwordFile) {
    public TlsSettings {
        keyStore = keyStore == null ? "conf/cluster-tls.p12" : keyStore;
        passwordFile = passwordFile == null ? "conf/cluster-tls.password" : passwordFile;
    }

    /** The same settings with both paths absolute ({@code home} for relative ones). */
    TlsSettings resolve(Path home) {
        return new TlsSettings(home.resolve(keyStore).toAbsolutePath().toString(),
                home.resolve(passwordFile).toAbsolutePath().toString());
    }
}
