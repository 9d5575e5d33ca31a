package io.hostpub.runtime;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.security.AdminCredentials;
import java.nio.file.Path;

/**
 * The first lines an instance logs: which installation it belongs to (so an operator sees in the container's own
 * log that a container was not given the home and fell back to {@code ~/.hostpub}, where it joins no one), and the
 * generated administrator password, once, in the instance that generated it.
 */
final class StartNotes {

    private StartNotes() {
    }

    static void record(EventLog events, RuntimeConfig config, AdminCredentials.Resolved credentials) {
        record(events, config, credentials, Path.of(System.getProperty("user.home", "."), ".hostpub"));
    }

    /** @param defaultHome where the home falls back to when neither property nor environment names one */
    static void record(EventLog events, RuntimeConfig config, AdminCredentials.Resolved credentials,
            Path defaultHome) {
        String where = "installation home " + config.home() + ", supervisor port " + config.supervisorPort() + " on "
                + config.bindAddress().getHostAddress();
        if (config.home().equals(defaultHome)) {
            events.warn(EventKind.ADMIN, "starting with " + where + ": the default home, since neither the system"
                    + " property hostpub.home nor HOSTPUB_HOME was given to this container; only instances with the"
                    + " same home join it");
        } else {
            events.record(EventKind.ADMIN, "starting with " + where);
        }
        credentials.generatedPassword().ifPresent(password -> events.record(EventKind.ADMIN,
                "generated the /hpadmin password of user '" + credentials.credentials().user() + "': " + password
                + " (shown once; stored hashed in " + AdminCredentials.generatedFile(config) + ")"));
    }
}
