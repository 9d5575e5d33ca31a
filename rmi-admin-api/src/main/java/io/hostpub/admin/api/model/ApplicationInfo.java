package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;

/**
 * One web application deployed in an instance's container, as far as the runtime can see it: every
 * application when the runtime is installed at container level, its own WAR when it lives in the WAR.
 *
 * @param contextPath "" for the root context
 * @param servlets the number of servlets registered in the application
 * @param activeSessions the HTTP sessions open now
 */
public record ApplicationInfo(String contextPath, String displayName, int servlets, int activeSessions)
        implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public ApplicationInfo {
        Checks.text(contextPath, "contextPath", 1_024);
        Checks.text(displayName, "displayName", 256);
        Checks.nonNegative(servlets, "servlets");
        Checks.nonNegative(activeSessions, "activeSessions");
    }
}
