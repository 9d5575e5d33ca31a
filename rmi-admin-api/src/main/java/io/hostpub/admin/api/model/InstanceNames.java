package io.hostpub.admin.api.model;

/**
 * Rules for instance names. Names come from configuration and from remote peers, so they are checked at
 * every edge; they may contain any printable character (pages escape them), but no control characters,
 * no leading/trailing space, at most {@value #MAX_LENGTH} characters, and never the reserved {@value #MAIN}.
 */
public final class InstanceNames {
    public static final String MAIN = "main";
    public static final int MAX_LENGTH = 128;

    private InstanceNames() {
    }

    /** @return null if valid, else the reason */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "instance name is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "instance name is longer than " + MAX_LENGTH + " characters";
        }
        if (!name.strip().equals(name)) {
            return "instance name has leading or trailing white space";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "instance name contains control characters";
        }
        if (name.equals(MAIN)) {
            return "instance name 'main' is reserved for the supervisor's alias";
        }
        return null;
    }

    public static String requireValid(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }
}
