package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.security.AdminCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start lines: the home an instance was given, a warning when it fell back to the default, a password once. */
class StartNotesTest {

    @TempDir
    Path dir;

    private static RuntimeConfig config(Properties properties, Map<String, String> environment) {
        properties.setProperty("hostpub.supervisorPort", "31000");
        return new ConfigLoader(properties, environment).load();
    }

    private static String only(EventLog events) {
        assertThat(events.newest(10)).hasSize(1);
        return events.newest(10).get(0).message();
    }

    @Test
    void aGivenHomeIsNamedAndTheDefaultOneIsWarnedAbout() {
        EventLog given = new EventLog("tomcat-8081", Clock.systemUTC());
        RuntimeConfig config = config(new Properties(), Map.of("HOSTPUB_HOME", dir.toString()));
        StartNotes.record(given, config, new AdminCredentials.Resolved(null, Optional.empty()),
                dir.resolve(".hostpub"));
        assertThat(only(given)).isEqualTo("starting with installation home " + dir
                + ", supervisor port 31000 on 127.0.0.1");

        Properties noHome = new Properties();
        noHome.setProperty("user.home", dir.toString());
        EventLog fellBack = new EventLog("tomcat-8082", Clock.systemUTC());
        StartNotes.record(fellBack, config(noHome, Map.of()), new AdminCredentials.Resolved(null, Optional.empty()),
                dir.resolve(".hostpub"));
        assertThat(only(fellBack)).startsWith("starting with installation home " + dir.resolve(".hostpub"))
                .contains("the default home, since neither the system property hostpub.home nor HOSTPUB_HOME");
    }
}
