package io.hostpub.coordinator.api.job;

import java.time.Instant;
import java.util.Objects;

/**
 * Something an agent did to a job on its own judgement, with what it saw first: today a hang (the job failed its
 * {@link HealthCheck} too often) and the SIGKILL that ended it. Kept with the job (its last few), in the store with the
 * job's record, so the report shows it after the agent itself restarted.
 *
 * @param reason   why, in one line ({@code "GET /HostPublisher/health timed out after 2000 ms, 3 times in a row"})
 * @param evidence the file with the full evidence on the job's node: process state, thread dump (when the JVM still
 *                 answered one), the last lines of the job's log, any {@code hs_err} file
 * @param excerpt  the first lines of it, for the page and the API
 */
public record JobIncident(Instant at, long pid, String kind, String reason, String evidence, String excerpt) {

    public static final String HUNG = "HUNG";

    public JobIncident {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        evidence = evidence == null ? "" : evidence;
        excerpt = excerpt == null ? "" : excerpt;
    }
}
