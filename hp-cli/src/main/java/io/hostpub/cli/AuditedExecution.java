package io.hostpub.cli;

import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.runtime.audit.AuditEvent;
import io.hostpub.runtime.audit.AuditJournal;
import io.hostpub.runtime.audit.AuditRecord;
import io.hostpub.runtime.audit.AuditUnavailable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * Runs the command a command line names, recording the commands that change the installation in the audit journal
 * of its home: before the command runs (when that fails, it does not run: exit 1 with the reason) and its exit code
 * after. Reads ({@code --dry-run}, {@code --status}, help) are not recorded. The user is the operating-system user,
 * whose access to the installation home (secret, store) is what lets {@code hpctl} act at all.
 */
final class AuditedExecution implements CommandLine.IExecutionStrategy {

    static final Set<String> CHANGES = Set.of("cluster shutdown", "cluster start", "cluster apply", "cluster scale",
            "cluster repair-journal", "rollout");
    private static final Set<String> READS = Set.of("--dry-run", "--status");

    @Override
    public int execute(CommandLine.ParseResult parsed) {
        List<CommandLine> commands = parsed.asCommandLineList();
        CommandLine last = commands.get(commands.size() - 1);
        String name = last.getCommandSpec().qualifiedName(" ").replaceFirst("^hpctl ", "");
        boolean help = commands.stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
        CommandLine.ParseResult own = last.getParseResult();
        java.nio.file.Path home = InstallationPaths.fromEnvironment().home();
        // no installation there: the command fails on its own, saying so; a journal would only litter a wrong path
        if (help || !CHANGES.contains(name) || READS.stream().anyMatch(own::hasMatchedOption)
                || !java.nio.file.Files.isDirectory(home)) {
            return new CommandLine.RunLast().execute(parsed);
        }
        AuditEvent event = AuditEvent.requested(System.getProperty("user.name", "?"), "admin", host(), "hpctl", name,
                target(own), Map.of("arguments", String.join(" ", own.originalArgs().subList(commands.size() - 1,
                        own.originalArgs().size()))));
        AuditJournal journal = AuditJournal.of(home);
        AuditRecord request;
        try {
            request = journal.append(event);
        } catch (AuditUnavailable e) {
            last.getErr().println("hpctl: " + e.getMessage());
            return Hpctl.FAILED;
        }
        try {
            int code = new CommandLine.RunLast().execute(parsed);
            outcome(journal, event.outcome(request, code == Hpctl.OK ? "ok: exit 0" : "failed: exit " + code));
            return code;
        } catch (CommandLine.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            outcome(journal, event.outcome(request, "failed: " + cause.getMessage()));
            throw e;
        }
    }

    private static void outcome(AuditJournal journal, AuditEvent event) {
        try {
            journal.append(event);
        } catch (AuditUnavailable e) {
            System.err.println("hpctl: " + e.getMessage().replace("it was not performed", "its outcome is not"
                    + " recorded"));
        }
    }

    /** The application, plan file or scope the command acts on. */
    private static String target(CommandLine.ParseResult own) {
        if (!own.matchedPositionals().isEmpty()) {
            Object first = own.matchedPositionals().get(0).getValue(); // Object: String.valueOf(char[]) otherwise
            return String.valueOf(first);
        }
        Object scope = own.hasMatchedOption("--scope") ? own.matchedOption("--scope").getValue() : "all";
        return String.valueOf(scope);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
