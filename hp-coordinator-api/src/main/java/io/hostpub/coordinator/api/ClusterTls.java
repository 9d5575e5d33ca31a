package io.hostpub.coordinator.api;

import io.hostpub.admin.api.wire.OwnerOnlyFiles;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the cluster wire, with the installation's certificates: one PKCS#12 key store (the plan's
 * {@code tls.keyStore}, default {@code conf/cluster-tls.p12}) holds the key and certificate an agent or coordinator
 * serves with, and the certificates it trusts (its own entries' certificates, and any trusted CA entries); its password
 * is the first line of {@code tls.passwordFile} (default {@code conf/cluster-tls.password}, mode 0600). Clients check
 * the server's chain against the same trust and its name against the address they called (so the certificates carry
 * the nodes' addresses as IP subject alternative names). The signature of every request (the installation secret)
 * stays as it is: TLS adds confidentiality and the server's identity, not the caller's.
 */
public final class ClusterTls {

    private final SSLContext context;
    private final Path keyStore;

    private ClusterTls(SSLContext context, Path keyStore) {
        this.context = context;
        this.keyStore = keyStore;
    }

    /** The TLS of {@code plan} (as loaded: paths resolved against the home), or empty when it runs plain HTTP. */
    public static Optional<ClusterTls> of(ClusterPlan plan) throws IOException {
        return plan.tls() == null ? Optional.empty()
                : Optional.of(load(Path.of(plan.tls().keyStore()), Path.of(plan.tls().passwordFile())));
    }

    /** Reads the key store; every failure names the file and the cause. */
    public static ClusterTls load(Path keyStore, Path passwordFile) throws IOException {
        char[] password = password(passwordFile);
        KeyStore store;
        try (InputStream in = Files.newInputStream(keyStore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("cluster TLS key store " + keyStore + " does not exist", e);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot read the cluster TLS key store " + keyStore + " (a PKCS#12 file whose"
                    + " password is in " + passwordFile + "): " + e.getMessage(), e);
        }
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isKey(store, alias))) {
                throw new IOException("cluster TLS key store " + keyStore + " holds no private key to serve with");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new ClusterTls(context, keyStore);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the cluster TLS key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (java.security.KeyStoreException e) {
            return false;
        }
    }

    private static char[] password(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("cluster TLS password file " + file + " does not exist");
        }
        OwnerOnlyFiles.require(file, "cluster TLS password file");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip().toCharArray();
    }

    public SSLContext context() {
        return context;
    }

    @Override
    public String toString() {
        return "TLS with " + keyStore;
    }
}
