package io.hostpub.admin.web;

/** What a principal of {@code /hpadmin} may do: everything, or read only. */
enum Access {
    /** Every page, every GET and every change. */
    ADMIN,
    /** Every page and GET; every change is refused (403) and the pages show no action buttons. */
    VIEWER;

    /** The name in pages, answers and the audit journal. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
