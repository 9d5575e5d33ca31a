package io.hostpub.coordinator.api;

/**
 * Constants of the cluster wire: signed JSON over HTTP/1.1 between agents, coordinators, the WAR and {@code hpctl}
 * (specified on the site's protocol page, section "The cluster wire"; vectors in {@code cluster-vectors.txt}).
 *
 * <pre>
 *   POST /poll HTTP/1.1                              HTTP/1.1 200 OK
 *   Hostpub-Cluster-Version: 2                       Content-Type: application/json
 *   Authorization: Hostpub 1764567600000:9f2c...     {"name":"n1","instanceId":...}
 *   Content-Type: application/json
 *   {"position":"local/l1","election":{...},...}
 * </pre>
 *
 * Version 1 was the unspecified predecessor (its version lived only in the signature's purpose label); it is refused
 * like any other unknown version.
 */
public final class ClusterProtocol {

    /** The version every request carries in {@link #VERSION_HEADER} and every signature covers. */
    public static final int VERSION = 2;
    /** The request header naming the sender's protocol version. */
    public static final String VERSION_HEADER = "Hostpub-Cluster-Version";
    /** The largest request body a server reads, in bytes. */
    public static final int MAX_BODY = 1 << 20;

    private ClusterProtocol() {
    }
}
