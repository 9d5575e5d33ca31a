package io.hostpub.runtime.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Appends records to a journal from a process of its own: {@code DIRECTORY COUNT NAME}. */
public final class AuditAppender {

    private AuditAppender() {
    }

    public static void main(String[] args) throws Exception {
        AuditJournal journal = new AuditJournal(Path.of(args[0]), 64 * 1024, 100, Clock.systemUTC());
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            journal.append(AuditEvent.requested(args[2], "admin", "127.0.0.1", "hpctl", "test", "target " + i,
                    Map.of("i", String.valueOf(i))));
        }
    }
}
