package io.hostpub.runtime.license;

/** A license acquisition failed: the machine's limit is reached, or no supervisor answered in time. */
public final class LicenseException extends Exception {
    private static final long serialVersionUID = 1L;

    public LicenseException(String message) {
        super(message);
    }
}
