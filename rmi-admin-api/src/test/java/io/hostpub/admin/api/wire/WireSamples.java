package io.hostpub.admin.api.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/** One fixed sample of every message, pinned byte for byte by {@code wire-vectors.txt}. */
final class WireSamples {
    private WireSamples() {
    }

    static byte[] sequence(int start, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (start + i);
        }
        return bytes;
    }

    static Map<String, Message> all() {
        Map<String, Message> samples = new LinkedHashMap<>();
        samples.put("HELLO", new Message.Hello(Handshake.MAGIC, Handshake.OLDEST_VERSION, sequence(0, 16)));
        samples.put("CHALLENGE", new Message.Challenge(Handshake.MAGIC, Handshake.OLDEST_VERSION, sequence(0x10, 16), sequence(0x20, 32)));
        samples.put("PROOF", new Message.Proof(sequence(0x40, 32)));
        samples.put("WELCOME", new Message.Welcome());
        samples.put("REGISTRY_QUERY", new Message.RegistryQuery());
        samples.put("REGISTRY_INFO", new Message.RegistryInfo(40123, "jetty-8081"));
        samples.put("ANNOUNCE", new Message.Announce("tomcat-8443", 4242, 3, sequence(0x60, 8)));
        samples.put("ACCEPTED", new Message.Accepted());
        samples.put("REJECTED", new Message.Rejected("duplicate name", 4242));
        samples.put("LICENSE_ACQUIRE", new Message.LicenseAcquire(7, 2));
        samples.put("LICENSE_GRANTED", new Message.LicenseGranted(7, 2));
        samples.put("LICENSE_DENIED", new Message.LicenseDenied(8, "limit 100 reached"));
        samples.put("LICENSE_RELEASE", new Message.LicenseRelease(1));
        samples.put("LICENSE_LEASE", new Message.LicenseLease(9, 1, 16));
        samples.put("LEASE_RECALL", new Message.LeaseRecall());
        samples.put("LEASE_RETURN", new Message.LeaseReturn(15));
        samples.put("PROBE", new Message.Probe(99));
        samples.put("PROBE_ACK", new Message.ProbeAck(99));
        samples.put("ROSTER", new Message.Roster(new long[] {4242, 70000}));
        samples.put("SUCCESSOR", new Message.Successor());
        samples.put("MEMBER_UP", new Message.MemberUp("tomcat-8443", 4242, sequence(0x60, 8)));
        samples.put("MEMBER_DOWN", new Message.MemberDown("tomcat-8443", 4242));
        samples.put("ERROR", new Message.Failure("bad version"));
        return samples;
    }
}
