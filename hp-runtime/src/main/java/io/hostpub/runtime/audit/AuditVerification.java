package io.hostpub.runtime.audit;

import java.util.Optional;

/**
 * What a walk along the chain found.
 *
 * @param records how many records were checked
 * @param files how many journal files they were in
 * @param firstSeq the number of the first record kept (older ones rotated away: their chain is not checked)
 * @param lastSeq the number of the last record
 * @param broken the first bad record and what is wrong with it; empty when the chain is intact
 */
public record AuditVerification(long records, int files, long firstSeq, long lastSeq, Optional<String> broken) {

    public boolean intact() {
        return broken.isEmpty();
    }

    /** One line for a terminal or a page. */
    public String describe() {
        if (broken.isPresent()) {
            return "audit journal BROKEN: " + broken.get();
        }
        return records == 0 ? "audit journal intact: no records yet" : "audit journal intact: " + records
                + " records (#" + firstSeq + " to #" + lastSeq + ") in " + files + " file(s)"
                + (firstSeq > 1 ? "; records before #" + firstSeq + " were rotated away" : "");
    }
}
