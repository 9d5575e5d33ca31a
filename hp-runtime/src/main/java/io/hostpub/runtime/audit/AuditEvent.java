package io.hostpub.runtime.audit;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an audited action is, before the journal gives it a number, a time and its place in the chain.
 *
 * @param user who acted: the login's user, or the operating-system user of {@code hpctl}
 * @param role {@code admin} or {@code viewer}
 * @param source where from: the client's address, or the host {@code hpctl} ran on
 * @param via {@code page}, {@code api} or {@code hpctl}
 * @param action what was asked ({@code set-log-level}, {@code cluster shutdown}, ...)
 * @param target what it was aimed at (an instance, a job, a scope)
 * @param arguments the request's parameters that say what it did; never a secret (callers pass known names only)
 * @param result {@code requested} before the action runs; after it, what came of it ({@code ok: ...},
 *        {@code refused 403: ...}, {@code failed 502: ...})
 * @param ref for a result, the number of the record of its request (0 when there is none)
 */
public record AuditEvent(String user, String role, String source, String via, String action, String target,
        SortedMap<String, String> arguments, String result, long ref) {

    /** The result of a record written before its action runs. */
    public static final String REQUESTED = "requested";
    static final int MAX_TEXT = 512;
    static final int MAX_ARGUMENT = 256;
    static final int MAX_ARGUMENTS = 16;

    public AuditEvent {
        user = clip(Objects.requireNonNull(user, "user"), 64);
        role = clip(Objects.requireNonNull(role, "role"), 16);
        source = clip(Objects.requireNonNull(source, "source"), 128);
        via = clip(Objects.requireNonNull(via, "via"), 16);
        action = clip(Objects.requireNonNull(action, "action"), 64);
        target = clip(Objects.requireNonNull(target, "target"), MAX_TEXT);
        result = clip(Objects.requireNonNull(result, "result"), MAX_TEXT);
        TreeMap<String, String> kept = new TreeMap<>();
        for (var argument : Objects.requireNonNull(arguments, "arguments").entrySet()) {
            if (kept.size() == MAX_ARGUMENTS) {
                break;
            }
            kept.put(clip(argument.getKey(), 64), clip(String.valueOf(argument.getValue()), MAX_ARGUMENT));
        }
        arguments = java.util.Collections.unmodifiableSortedMap(kept);
    }

    /** A request about to run. */
    public static AuditEvent requested(String user, String role, String source, String via, String action,
            String target, Map<String, String> arguments) {
        return new AuditEvent(user, role, source, via, action, target, new TreeMap<>(arguments), REQUESTED, 0);
    }

    /** The result of the request recorded as {@code request}. */
    public AuditEvent outcome(AuditRecord request, String outcome) {
        return new AuditEvent(user, role, source, via, action, target, arguments, outcome, request.seq());
    }

    /** The same event with another result and no request (a refusal: nothing ran). */
    public AuditEvent refused(String why) {
        return new AuditEvent(user, role, source, via, action, target, arguments, why, 0);
    }

    /** Control characters would let a value forge the look of a line in a terminal: they become spaces. */
    private static String clip(String text, int max) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
    }
}
