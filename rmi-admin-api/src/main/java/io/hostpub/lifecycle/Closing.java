package io.hostpub.lifecycle;

/** Closing a component's parts. */
public final class Closing {

    private Closing() {
    }

    /**
     * Closes every part that exists, in the order given, even when one fails; the first failure is thrown at the end
     * (a checked one wrapped), so one broken part never leaves the others open.
     */
    public static void inOrder(AutoCloseable... parts) {
        RuntimeException first = null;
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                first = first == null ? new IllegalStateException("closing " + part + " failed: " + e, e) : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
