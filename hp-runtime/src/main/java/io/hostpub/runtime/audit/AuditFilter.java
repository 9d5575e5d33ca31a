package io.hostpub.runtime.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Which records a reader wants: each given field must occur (case-insensitively) in the record's; {@code since}
 * keeps records at or after that time.
 */
public record AuditFilter(Optional<String> user, Optional<String> action, Optional<String> target,
        Optional<Instant> since) {

    public static final AuditFilter ALL = new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    boolean accepts(AuditRecord record) {
        return contains(record.user(), user) && contains(record.action(), action)
                && contains(record.target(), target) && since.map(t -> !record.time().isBefore(t)).orElse(true);
    }

    private static boolean contains(String field, Optional<String> wanted) {
        return wanted.map(w -> field.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT))).orElse(true);
    }
}
