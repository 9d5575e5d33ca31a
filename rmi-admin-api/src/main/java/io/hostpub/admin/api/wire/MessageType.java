package io.hostpub.admin.api.wire;

/**
 * Every message of the private protocol, with its explicit byte code on the wire.
 *
 * <pre>
 *  subordinate / client                         supervisor
 *        | HELLO(magic, version, nonceC)            |
 *        |----------------------------------------->|
 *        |     CHALLENGE(magic, version, nonceS, macS)
 *        |<-----------------------------------------|   macS = HMAC(secret, "HPUB-S" nonceC nonceS)
 *        | PROOF(macC)                              |   macC = HMAC(secret, "HPUB-C" nonceS nonceC)
 *        |----------------------------------------->|
 *        |                   WELCOME / ERROR(reason)|
 *        |<-----------------------------------------|
 *        | REGISTRY_QUERY                           |
 *        |----------------------------------------->|
 *        |       REGISTRY_INFO(port, supervisorName)|
 *        |<-----------------------------------------|
 *        | ANNOUNCE(name, pid, holdings, stub)      |   the supervisor binds the announced stub
 *        |----------------------------------------->|   in its registry (subordinates never bind)
 *        |                 ACCEPTED / REJECTED(why) |
 *        |<-----------------------------------------|
 *        |              ROSTER(pids) on every join/leave|
 *        |<-----------------------------------------|
 *        | ROSTER(pids of its previous supervisor)  |   once, after ACCEPTED, if it had one
 *        |----------------------------------------->|
 *        |    SUCCESSOR, then MEMBER_UP(name, pid, stub)|   to one version-3 subordinate only: the
 *        |    for every other member; MEMBER_UP/DOWN |   designated successor keeps a standby registry
 *        |    on each later join and leave          |   and binds the live members when it wins
 *        |<-----------------------------------------|
 *        |  ... LICENSE_*, PROBE/PROBE_ACK both ways, then blocking reads until EOF ...
 *        | LICENSE_LEASE(id, units, lease)          |   version 4: units now plus up to lease more,
 *        |----------------------------------------->|   kept by the subordinate for local grants;
 *        |     LICENSE_GRANTED(id, units + leased)  |   answered with what was granted
 *        |<-----------------------------------------|
 *        |                            LEASE_RECALL  |   another member would be refused while units
 *        |<-----------------------------------------|   sit leased: give back what is idle
 *        | LEASE_RETURN(units, possibly 0)          |
 *        |----------------------------------------->|
 * </pre>
 */
public enum MessageType {
    HELLO(0x01),
    CHALLENGE(0x02),
    PROOF(0x03),
    WELCOME(0x04),
    REGISTRY_QUERY(0x10),
    REGISTRY_INFO(0x11),
    ANNOUNCE(0x20),
    ACCEPTED(0x21),
    REJECTED(0x22),
    LICENSE_ACQUIRE(0x30),
    LICENSE_GRANTED(0x31),
    LICENSE_DENIED(0x32),
    LICENSE_RELEASE(0x33),
    LICENSE_LEASE(0x34),
    LEASE_RECALL(0x35),
    LEASE_RETURN(0x36),
    PROBE(0x40),
    PROBE_ACK(0x41),
    ROSTER(0x50),
    SUCCESSOR(0x60),
    MEMBER_UP(0x61),
    MEMBER_DOWN(0x62),
    ERROR(0x7F);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws ProtocolException naming the code if no message has it */
    public static MessageType ofCode(int code) throws ProtocolException {
        MessageType type = (code >= 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
        if (type == null) {
            throw new ProtocolException(String.format("unknown message code 0x%02X", code));
        }
        return type;
    }
}
