package io.hostpub.coordinator.api;

/**
 * Constants of the cluster wire: signed JSON over HTTP/1.1 between agents, coordinators, the WAR and {@code hpctl}
 * (specified on the site's protocol page, section "The cluster wire"; vectors in {@code cluster-vectors.txt}).
 *
 * <pre>
 *   POST /poll HTTP/1.1                              HTTP/1.1 200 OK
 *   Host: 127.0.0.2:41000                            Content-Type: application/json
 *   Hostpub-Cluster-Version: 3                       {"name":"n1","instanceId":...}
 *   Authorization: Hostpub 1764567600000:5e0b...:9f2c...
 *   Content-Type: application/json
 *   {"position":"local/l1","election":{...},...}
 * </pre>
 *
 * Version 1 was the unspecified predecessor (its version lived only in the signature's purpose label). Version 3
 * signs the destination ({@code Host}) and a nonce that the receiver accepts once. Other versions are refused.
 */
public final class ClusterProtocol {

    /** The version every request carries in {@link #VERSION_HEADER} and every signature covers. */
    public static final int VERSION = 3;
    /** The request header naming the sender's protocol version. */
    public static final String VERSION_HEADER = "Hostpub-Cluster-Version";
    /** The largest request body a server reads, in bytes. */
    public static final int MAX_BODY = 1 << 20;

    private ClusterProtocol() {
    }
}
