package io.hostpub.cli;

import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.runtime.audit.AuditFilter;
import io.hostpub.runtime.audit.AuditReader;
import io.hostpub.runtime.audit.AuditRecord;
import io.hostpub.runtime.audit.AuditVerification;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hpctl audit [--verify] [filters]}: the machine's audit journal, and the walk along its chain. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Print the newest records of this machine's audit journal ($HOSTPUB_HOME/audit), oldest of "
                + "them first: every change made through the admin pages, the API and hpctl, before it ran and its "
                + "outcome.", "With --verify, walk the hash chain over every file kept: exit 0 when it is intact, 1 "
                + "naming the first bad record (edited, removed, reordered or cut short)."})
final class AuditCommand implements Callable<Integer> {

    @Option(names = "--verify", description = "check the whole chain (exit 1 at the first bad record)")
    boolean verify;

    @Option(names = "--user", paramLabel = "TEXT", description = "only records whose user contains TEXT")
    String user;

    @Option(names = "--action", paramLabel = "TEXT", description = "only records whose action contains TEXT")
    String action;

    @Option(names = "--target", paramLabel = "TEXT", description = "only records whose target contains TEXT")
    String target;

    @Option(names = "--since", paramLabel = "INSTANT", description = "only records at or after INSTANT"
            + " (ISO-8601, e.g. 2026-12-03T09:00:00Z)")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N records (1-10000)")
    int limit;

    @Option(names = "--json", description = "print the records as a JSON array (newest first)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || limit > AuditReader.MAX_LIMIT) {
            throw new IllegalArgumentException("--limit must be 1-" + AuditReader.MAX_LIMIT + ", not " + limit);
        }
        Optional<Instant> from;
        try {
            from = Optional.ofNullable(since).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since must be an ISO-8601 instant such as 2026-12-03T09:00:00Z, not '"
                    + since + "'");
        }
        AuditReader reader = AuditReader.of(InstallationPaths.fromEnvironment().home());
        if (verify) {
            AuditVerification verification = reader.verify();
            (verification.intact() ? System.out : System.err).println(verification.describe());
            return verification.intact() ? Hpctl.OK : Hpctl.FAILED;
        }
        List<AuditRecord> records = reader.newest(new AuditFilter(Optional.ofNullable(user),
                Optional.ofNullable(action), Optional.ofNullable(target), from), limit);
        if (json) {
            System.out.println(Json.writePretty(records));
            return Hpctl.OK;
        }
        for (int i = records.size() - 1; i >= 0; i--) {
            System.out.println(line(records.get(i)));
        }
        return Hpctl.OK;
    }

    static String line(AuditRecord r) {
        return "#" + r.seq() + " " + r.time() + " " + r.user() + " (" + r.role() + ") from " + r.source() + " via "
                + r.via() + ": " + r.action() + (r.target().isEmpty() ? "" : " " + r.target())
                + (r.arguments().isEmpty() ? "" : " " + r.arguments()) + " -> " + r.result()
                + (r.ref() > 0 ? " (of #" + r.ref() + ")" : "");
    }
}
