package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.JournalStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a warm standby is named on the death-watch link, published, and given a head start by the children. */
class StandbyNoticeTest {

    @TempDir
    Path home;

    @Test
    void aStandbysLinkNameCarriesItsNodeAndPidAndNothingElseIsTakenForOne() {
        assertThat(StandbyNotice.ofLinkName(StandbyNotice.linkName("n2", 4242)))
                .contains(new StandbyNotice(true, "n2", 4242));
        assertThat(StandbyNotice.ofLinkName("n2")).isEmpty();
        assertThat(StandbyNotice.ofLinkName("local/l1")).isEmpty();
        assertThat(StandbyNotice.ofLinkName("standby@")).isEmpty();
        assertThat(StandbyNotice.ofLinkName("standby@n2:")).isEmpty();
        assertThat(StandbyNotice.ofLinkName("standby@n2:pid")).isEmpty();
    }

    @Test
    void childrenGiveAHeadStartOnlyWhileTheActiveMonitorSaysAStandbyIsLinked() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home.resolve("store"))) {
            Duration interval = Duration.ofMillis(250);
            assertThat(StandbyNotice.headStartMillis(store, "local/l1", interval)).as("no notice").isZero();

            Fence fence = store.acquire(Monitor.scope("local/l1"), "test monitor");
            store.put(fence, StandbyNotice.KEY, Json.write(new StandbyNotice(true, "n2", 4242)));
            assertThat(StandbyNotice.read(store, "local/l1")).contains(new StandbyNotice(true, "n2", 4242));
            // at least a second, however short the poll interval: far more than a takeover needs
            assertThat(StandbyNotice.headStartMillis(store, "local/l1", interval))
                    .isEqualTo(StandbyNotice.MIN_HEAD_START_MS);
            assertThat(StandbyNotice.headStartMillis(store, "local/l1", Duration.ofSeconds(3))).isEqualTo(3_000);

            store.put(fence, StandbyNotice.KEY, Json.write(StandbyNotice.NONE));
            assertThat(StandbyNotice.headStartMillis(store, "local/l1", interval)).as("standby gone").isZero();
        }
    }
}
