package io.hostpub.coordinator.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code store.journal} holds a record that fails its checksum with intact records after it: damage inside the
 * file, which a crash cannot cause. The store refuses to run on it and changes nothing; the operator repairs it
 * explicitly ({@link JournalRepair}), knowing that what follows the damage is set aside.
 */
public final class JournalDamagedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final long offset;

    JournalDamagedException(Path path, long offset, long nextIntact, long size) {
        super("journal store " + path + " is damaged at offset " + offset + ": the record there fails its checksum"
                + " although intact records follow it (from offset " + nextIntact + ", " + (size - offset) + " bytes"
                + " to the end of the file), so it is not a write torn by a crash. Nothing was changed and the store"
                + " stays stopped; repair it with 'hpctl cluster repair-journal' (records from the damage on are set"
                + " aside in a file next to it, fencing epochs are never granted again)");
        this.path = path;
        this.offset = offset;
    }

    public Path path() {
        return path;
    }

    /** Where the first damaged record starts. */
    public long offset() {
        return offset;
    }
}
