package io.hostpub.runtime.audit;

import java.time.Instant;
import java.util.SortedMap;

/**
 * One line of the audit journal: an {@link AuditEvent} with its number, its time and its link in the chain.
 *
 * @param prev the hash of the record before (64 zeros for the first record ever written)
 * @param hash SHA-256 of this line's JSON without its {@code hash} field, hex; each record thus covers every one
 *        before it, and an edited, removed or inserted record breaks the chain where it is
 */
public record AuditRecord(long seq, Instant time, String user, String role, String source, String via, String action,
        String target, SortedMap<String, String> arguments, String result, long ref, String prev, String hash) {

    /** The {@code prev} of the very first record. */
    public static final String GENESIS = "0".repeat(64);

    static AuditRecord of(long seq, Instant time, AuditEvent event, String prev) {
        return new AuditRecord(seq, time, event.user(), event.role(), event.source(), event.via(), event.action(),
                event.target(), event.arguments(), event.result(), event.ref(), prev, null);
    }

    AuditRecord withHash(String value) {
        return new AuditRecord(seq, time, user, role, source, via, action, target, arguments, result, ref, prev,
                value);
    }
}
