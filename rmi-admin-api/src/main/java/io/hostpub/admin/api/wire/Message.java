package io.hostpub.admin.api.wire;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The messages of the private protocol. Each record writes its own payload; {@link MessageDecoder} reads one
 * back and rejects trailing or missing bytes.
 */
public sealed interface Message {

    /** Largest string field in bytes (UTF-8). */
    int MAX_STRING_BYTES = 1024;
    int NONCE_BYTES = 16;
    /** Largest serialized admin stub an ANNOUNCE may carry. */
    int MAX_STUB_BYTES = 8192;
    int MAC_BYTES = 32;
    /** Most members a ROSTER carries (fits one frame: 2 + 8 * 2000 bytes). */
    int MAX_ROSTER = 2000;

    MessageType type();

    void writePayload(DataOutputStream out) throws IOException;

    record Hello(int magic, int version, byte[] nonce) implements Message {
        public Hello {
            Fields.requireLength(nonce, NONCE_BYTES, "nonce");
        }
        public MessageType type() { return MessageType.HELLO; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeInt(magic);
            out.writeShort(version);
            out.write(nonce);
        }
        @Override public String toString() {
            return "Hello[magic=" + Integer.toHexString(magic) + ", version=" + version + "]";
        }
    }

    record Challenge(int magic, int version, byte[] nonce, byte[] mac) implements Message {
        public Challenge {
            Fields.requireLength(nonce, NONCE_BYTES, "nonce");
            Fields.requireLength(mac, MAC_BYTES, "mac");
        }
        public MessageType type() { return MessageType.CHALLENGE; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeInt(magic);
            out.writeShort(version);
            out.write(nonce);
            out.write(mac);
        }
        @Override public String toString() {
            return "Challenge[magic=" + Integer.toHexString(magic) + ", version=" + version + "]";
        }
    }

    record Proof(byte[] mac) implements Message {
        public Proof {
            Fields.requireLength(mac, MAC_BYTES, "mac");
        }
        public MessageType type() { return MessageType.PROOF; }
        public void writePayload(DataOutputStream out) throws IOException { out.write(mac); }
        @Override public String toString() { return "Proof[]"; }
    }

    record Welcome() implements Message {
        public MessageType type() { return MessageType.WELCOME; }
        public void writePayload(DataOutputStream out) { }
    }

    record RegistryQuery() implements Message {
        public MessageType type() { return MessageType.REGISTRY_QUERY; }
        public void writePayload(DataOutputStream out) { }
    }

    record RegistryInfo(int port, String supervisorName) implements Message {
        public RegistryInfo {
            Fields.require(port >= 1 && port <= 65535, "registry port out of range: " + port);
            Fields.requireString(supervisorName, "supervisorName");
        }
        public MessageType type() { return MessageType.REGISTRY_INFO; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeShort(port);
            Fields.writeString(out, supervisorName);
        }
    }

    /**
     * A subordinate's registration: its name, pid, license holdings and its serialized admin stub, which the
     * supervisor binds in the registry under the name.
     */
    record Announce(String name, long pid, int holdings, byte[] stub) implements Message {
        public Announce {
            Fields.requireString(name, "name");
            Fields.requireNonNegative(holdings, "holdings");
            Fields.requireStub(stub);
        }
        public MessageType type() { return MessageType.ANNOUNCE; }
        public void writePayload(DataOutputStream out) throws IOException {
            Fields.writeString(out, name);
            out.writeLong(pid);
            out.writeInt(holdings);
            out.writeShort(stub.length);
            out.write(stub);
        }
        @Override public String toString() {
            return "Announce[name=" + name + ", pid=" + pid + ", holdings=" + holdings + ", stub=" + stub.length
                    + " bytes]";
        }
    }

    record Accepted() implements Message {
        public MessageType type() { return MessageType.ACCEPTED; }
        public void writePayload(DataOutputStream out) { }
    }

    /**
     * The supervisor refuses an announced name.
     *
     * @param holderPid the pid of the process that holds the name, or -1 if unknown: a subordinate whose own pid
     *        holds it is a redeployment whose predecessor has not left yet, and waits instead of failing
     */
    record Rejected(String reason, long holderPid) implements Message {
        public Rejected {
            Fields.requireString(reason, "reason");
            Fields.require(holderPid >= -1, "holderPid must be -1 or a pid");
        }
        public MessageType type() { return MessageType.REJECTED; }
        public void writePayload(DataOutputStream out) throws IOException {
            Fields.writeString(out, reason);
            out.writeLong(holderPid);
        }
    }

    record LicenseAcquire(long requestId, int units) implements Message {
        public LicenseAcquire {
            Fields.requirePositive(units);
        }
        public MessageType type() { return MessageType.LICENSE_ACQUIRE; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeLong(requestId);
            out.writeInt(units);
        }
    }

    record LicenseGranted(long requestId, int units) implements Message {
        public LicenseGranted {
            Fields.requirePositive(units);
        }
        public MessageType type() { return MessageType.LICENSE_GRANTED; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeLong(requestId);
            out.writeInt(units);
        }
    }

    record LicenseDenied(long requestId, String reason) implements Message {
        public LicenseDenied {
            Fields.requireString(reason, "reason");
        }
        public MessageType type() { return MessageType.LICENSE_DENIED; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeLong(requestId);
            Fields.writeString(out, reason);
        }
    }

    record LicenseRelease(int units) implements Message {
        public LicenseRelease {
            Fields.requirePositive(units);
        }
        public MessageType type() { return MessageType.LICENSE_RELEASE; }
        public void writePayload(DataOutputStream out) throws IOException { out.writeInt(units); }
    }

    /**
     * Subordinate to supervisor (version 4): {@code units} needed now plus up to {@code lease} more that the
     * subordinate keeps and hands out locally. Answered by LICENSE_GRANTED with units plus the part of the lease
     * granted (possibly none), or LICENSE_DENIED; every granted unit counts in the tally until released.
     */
    record LicenseLease(long requestId, int units, int lease) implements Message {
        public LicenseLease {
            Fields.requirePositive(units);
            Fields.requireNonNegative(lease, "lease");
        }
        public MessageType type() { return MessageType.LICENSE_LEASE; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeLong(requestId);
            out.writeInt(units);
            out.writeInt(lease);
        }
    }

    /** Supervisor to a subordinate that holds leased units: another member waits; return what is idle. */
    record LeaseRecall() implements Message {
        public MessageType type() { return MessageType.LEASE_RECALL; }
        public void writePayload(DataOutputStream out) { }
    }

    /** Subordinate to supervisor, answering LEASE_RECALL: the idle leased units it gave back (0 if none). */
    record LeaseReturn(int units) implements Message {
        public LeaseReturn {
            Fields.requireNonNegative(units, "returned units");
        }
        public MessageType type() { return MessageType.LEASE_RETURN; }
        public void writePayload(DataOutputStream out) throws IOException { out.writeInt(units); }
    }

    /**
     * The machine's members, by pid: sent by the supervisor to every subordinate whenever a subordinate joins or
     * leaves, and once by a subordinate after it was accepted (what its previous supervisor last sent it). A new
     * supervisor grants nothing new until every member of the last roster whose process is still alive has
     * re-announced its holdings.
     */
    record Roster(long[] pids) implements Message {
        public Roster {
            Fields.require(pids != null && pids.length <= MAX_ROSTER, "a roster has 0 to " + MAX_ROSTER + " members");
            pids = pids.clone();
            for (long pid : pids) {
                Fields.requirePid(pid, "roster pid");
            }
        }
        @Override public long[] pids() { return pids.clone(); }
        public MessageType type() { return MessageType.ROSTER; }
        public void writePayload(DataOutputStream out) throws IOException {
            out.writeShort(pids.length);
            for (long pid : pids) {
                out.writeLong(pid);
            }
        }
        @Override public boolean equals(Object other) {
            return other instanceof Roster roster && java.util.Arrays.equals(pids, roster.pids);
        }
        @Override public int hashCode() { return java.util.Arrays.hashCode(pids); }
        @Override public String toString() { return "Roster" + java.util.Arrays.toString(pids); }
    }

    /**
     * Supervisor to one subordinate: you are the designated successor. It keeps a standby registry and the members
     * sent in MEMBER_UP, and should it win the next race it binds every member whose process is alive at once,
     * instead of waiting for each to re-register (issue 14). Sent only to peers that spoke version 3 or later.
     */
    record Successor() implements Message {
        public MessageType type() { return MessageType.SUCCESSOR; }
        public void writePayload(DataOutputStream out) { }
    }

    /** Supervisor to its designated successor: a member and its serialized admin stub, as it announced them. */
    record MemberUp(String name, long pid, byte[] stub) implements Message {
        public MemberUp {
            Fields.requireString(name, "name");
            Fields.requirePid(pid, "member pid");
            Fields.requireStub(stub);
        }
        public MessageType type() { return MessageType.MEMBER_UP; }
        public void writePayload(DataOutputStream out) throws IOException {
            Fields.writeString(out, name);
            out.writeLong(pid);
            out.writeShort(stub.length);
            out.write(stub);
        }
        @Override public String toString() {
            return "MemberUp[name=" + name + ", pid=" + pid + ", stub=" + stub.length + " bytes]";
        }
    }

    /** Supervisor to its designated successor: a member left (its link ended, or it was declared hung). */
    record MemberDown(String name, long pid) implements Message {
        public MemberDown {
            Fields.requireString(name, "name");
            Fields.requirePid(pid, "member pid");
        }
        public MessageType type() { return MessageType.MEMBER_DOWN; }
        public void writePayload(DataOutputStream out) throws IOException {
            Fields.writeString(out, name);
            out.writeLong(pid);
        }
    }

    record Probe(long sequence) implements Message {
        public MessageType type() { return MessageType.PROBE; }
        public void writePayload(DataOutputStream out) throws IOException { out.writeLong(sequence); }
    }

    record ProbeAck(long sequence) implements Message {
        public MessageType type() { return MessageType.PROBE_ACK; }
        public void writePayload(DataOutputStream out) throws IOException { out.writeLong(sequence); }
    }

    record Failure(String reason) implements Message {
        public Failure {
            Fields.requireString(reason, "reason");
        }
        public MessageType type() { return MessageType.ERROR; }
        public void writePayload(DataOutputStream out) throws IOException { Fields.writeString(out, reason); }
    }
}
