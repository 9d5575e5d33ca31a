package io.hostpub.admin.api.model;

/**
 * Rules for instance names. Names come from configuration and from remote peers, so they are checked at
 * every edge; they may contain any printable character (pages escape them), but no control characters,
 * no leading/trailing space, at most {@value #MAX_LENGTH} characters, and never the reserved {@value #MAIN}. A name
 * is also a path segment of the admin API and part of file names, so it holds no {@code /} or {@code \} (both
 * containers refuse them encoded in a path, so such an instance could be listed but never opened) and is not
 * {@code .} or {@code ..}.
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
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "instance name contains '/' or '\\' (a name is a path segment of the admin API and part of file"
                    + " names)";
        }
        if (name.equals(".") || name.equals("..")) {
            return "instance name '" + name + "' is a path segment of its own";
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
