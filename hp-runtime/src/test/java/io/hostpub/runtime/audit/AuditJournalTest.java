package io.hostpub.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit journal: one unbroken chain however many processes and threads append at once, rotation without a gap,
 * every kind of tampering found at the first bad record, a crash's torn line repaired, and a full disk refused.
 */
class AuditJournalTest {

    @TempDir
    Path directory;

    private AuditJournal journal(long rotateBytes, int keep) {
        return new AuditJournal(directory, rotateBytes, keep, Clock.systemUTC());
    }

    private static AuditEvent event(String user, int i) {
        return AuditEvent.requested(user, "admin", "10.0.0.1", "api", "set-log-level", "instance jetty-" + i,
                Map.of("logger", "io.hostpub", "level", "FINE"));
    }

    @Test
    void processesAndThreadsAppendingAtOnceMakeOneUnbrokenChain() throws Exception {
        AuditJournal journal = journal(64 * 1024, 100);
        List<Process> processes = new ArrayList<>();
        for (String name : List.of("p1", "p2")) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AuditAppender.class.getName(), directory.toString(),
                    "100", name).inheritIO().start());
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            String user = "t" + t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        journal.append(event(user, i));
                    } catch (AuditUnavailable e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "audit-appender-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (Process process : processes) {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
        AuditVerification verification = new AuditReader(directory).verify();
        assertThat(verification.intact()).as(verification.describe()).isTrue();
        assertThat(verification.records()).isEqualTo(400);
        assertThat(verification.files()).as("rotated at 64 KiB").isGreaterThan(1);
        List<AuditRecord> all = new AuditReader(directory).newest(AuditFilter.ALL, 1000);
        assertThat(all).extracting(AuditRecord::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 400).boxed()
                .sorted(java.util.Comparator.reverseOrder()).toList());
        assertThat(new AuditReader(directory).newest(new AuditFilter(Optional.of("P2"), Optional.empty(),
                Optional.empty(), Optional.empty()), 1000)).hasSize(100).allMatch(r -> r.user().equals("p2"));
        assertThat(new AuditReader(directory).newest(AuditFilter.ALL, 5)).extracting(AuditRecord::seq)
                .containsExactly(400L, 399L, 398L, 397L, 396L);
    }

    @Test
    void rotationKeepsTheChainAndRemovesTheOldestFiles() throws Exception {
        AuditJournal journal = journal(4096, 3);
        for (int i = 0; i < 200; i++) {
            journal.append(event("admin", i));
        }
        assertThat(AuditFiles.rotated(directory)).hasSize(3);
        AuditVerification verification = new AuditReader(directory).verify();
        assertThat(verification.intact()).as(verification.describe()).isTrue();
        assertThat(verification.lastSeq()).isEqualTo(200);
        assertThat(verification.firstSeq()).isGreaterThan(1);
        assertThat(verification.describe()).contains("rotated away");
    }

    @Test
    void anEditedRemovedOrReplacedRecordIsReportedAtTheFirstBadOne() throws Exception {
        AuditJournal journal = journal(1024 * 1024, 3);
        for (int i = 0; i < 10; i++) {
            journal.append(event("admin", i));
        }
        Path file = directory.resolve(AuditFiles.CURRENT);
        List<String> original = Files.readAllLines(file);

        // edited: another user on record #4
        List<String> edited = new ArrayList<>(original);
        edited.set(3, edited.get(3).replace("\"user\":\"admin\"", "\"user\":\"mallory\""));
        Files.write(file, edited);
        assertThat(broken()).contains("record #4").contains("hash does not match");

        // edited and its hash recomputed: the next record no longer follows it
        String body = AuditFiles.body(edited.get(3)).orElseThrow();
        String forgedHash = AuditJournal.sha256(body);
        edited.set(3, body.substring(0, body.length() - 1) + ",\"hash\":\"" + forgedHash + "\"}");
        Files.write(file, edited);
        assertThat(broken()).contains("record #5").contains("does not carry the hash of record #4");

        // removed
        List<String> removed = new ArrayList<>(original);
        removed.remove(6);
        Files.write(file, removed);
        assertThat(broken()).contains("record #8").contains("follows record #6");

        // garbage
        List<String> garbage = new ArrayList<>(original);
        garbage.add(2, "{\"not\":\"a record\"}");
        Files.write(file, garbage);
        assertThat(broken()).contains("line 3 of audit.log").contains("not a journal record");

        Files.write(file, original);
        assertThat(new AuditReader(directory).verify().intact()).isTrue();
    }

    @Test
    void aLineCutShortByACrashIsReportedThenRemovedByTheNextAppend() throws Exception {
        AuditJournal journal = journal(1024 * 1024, 3);
        journal.append(event("admin", 1));
        Path file = directory.resolve(AuditFiles.CURRENT);
        Files.writeString(file, "{\"seq\":2,\"time\":\"20", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(broken()).contains("cut short");
        AuditRecord next = journal.append(event("admin", 2));
        assertThat(next.seq()).isEqualTo(2);
        AuditVerification verification = new AuditReader(directory).verify();
        assertThat(verification.intact()).as(verification.describe()).isTrue();
        assertThat(verification.records()).isEqualTo(2);
    }

    @Test
    void aFullDiskRefusesTheRecordWithTheReason() throws Exception {
        AuditJournal journal = journal(1024 * 1024, 3);
        journal.append(event("admin", 1));
        Path file = directory.resolve(AuditFiles.CURRENT);
        Files.move(file, directory.resolve("kept.log"));
        Files.createSymbolicLink(file, Path.of("/dev/full")); // every write: ENOSPC, as on a full file system
        assertThatThrownBy(() -> journal.append(event("admin", 2))).isInstanceOf(AuditUnavailable.class)
                .hasMessageContaining(directory.toString()).hasMessageContaining("set-log-level")
                .hasMessageContaining("No space left on device").hasMessageContaining("was not performed");
    }

    @Test
    void controlCharactersAndOverlongValuesCannotForgeLines() throws Exception {
        AuditRecord record = journal(1024 * 1024, 3).append(AuditEvent.requested("ad\nmin", "admin", "x", "api",
                "act", "t".repeat(10_000), Map.of("k", "v\r\n{\"seq\":99}")));
        assertThat(record.user()).isEqualTo("ad min");
        assertThat(record.target()).hasSizeLessThanOrEqualTo(AuditEvent.MAX_TEXT);
        assertThat(Files.readAllLines(directory.resolve(AuditFiles.CURRENT))).hasSize(1);
        assertThat(new AuditReader(directory).verify().intact()).isTrue();
    }

    private String broken() throws Exception {
        AuditVerification verification = new AuditReader(directory).verify();
        assertThat(verification.intact()).isFalse();
        return verification.broken().orElseThrow();
    }
}
