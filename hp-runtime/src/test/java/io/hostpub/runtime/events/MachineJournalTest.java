package io.hostpub.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.MachineEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's event journal: an instance's events outlive it, a second life under the same name adds to the first,
 * a departure recorded by another instance is the departed one's last word, and a torn or foreign line is skipped.
 */
class MachineJournalTest {

    @TempDir
    Path home;

    @Test
    void eventsOutliveTheirInstanceAndDeparturesAreRecordedUnderTheDepartedName() throws Exception {
        MachineJournal journal = MachineJournal.of(home);
        try (EventLog first = new EventLog("jetty-8081", Clock.systemUTC(), journal, 100)) {
            first.record(EventKind.ROLE, "NEW -> SUPERVISOR: won the race");
        }
        try (EventLog other = new EventLog("tomcat-8082", Clock.systemUTC(), journal, 200)) {
            other.record(EventKind.LINK_DOWN, "lost supervisor jetty-8081 (end of stream); electing again");
            other.departed("jetty-8081", 0, "supervisor; the link of tomcat-8082 to it ended (end of stream)");
        }
        // a line cut short by a crash, and one that is not an event
        Files.writeString(home.resolve("events/events.log"), "{\"at\":\"2026-12-03T10:00:00Z\",\"inst\nnot json\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (EventLog second = new EventLog("jetty-8081", Clock.systemUTC(), journal, 300)) {
            second.record(EventKind.ROLE, "NEW -> SUBORDINATE: registered");
        }
        List<MachineEvent> lives = journal.newest(100, Optional.of("jetty-8081"));
        assertThat(lives).extracting(MachineEvent::pid).containsExactly(100L, 0L, 300L);
        assertThat(lives.get(1).message()).startsWith("departed: supervisor");
        assertThat(journal.newest(100, Optional.empty())).hasSize(4);
        assertThat(journal.newest(2, Optional.empty())).extracting(MachineEvent::instance)
                .containsExactly("jetty-8081", "jetty-8081");
    }

    @Test
    void aJournalThatCannotBeWrittenCostsOnlyTheJournal() throws Exception {
        Files.writeString(home.resolve("events"), "a file where the directory should be");
        EventLog log = new EventLog("jvm-1", Clock.systemUTC(), MachineJournal.of(home), 1);
        log.record(EventKind.ADMIN, "still recorded in memory");
        log.close();
        assertThat(log.newest(10)).hasSize(1);
        await().until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains(
                "jvm-1-journal")));
    }
}
