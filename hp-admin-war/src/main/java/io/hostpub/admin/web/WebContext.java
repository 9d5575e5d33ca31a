package io.hostpub.admin.web;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.container.ContainerHost;
import jakarta.servlet.ServletContext;
import java.util.Optional;

/** How the admin web layer finds the runtime its container started. */
final class WebContext {

    private WebContext() {
    }

    static Optional<HostpubRuntime> runtime(ServletContext context) {
        Object runtime = context.getAttribute(ContainerHost.RUNTIME_ATTRIBUTE);
        return runtime instanceof HostpubRuntime hosted && !hosted.isClosed() ? Optional.of(hosted) : Optional.empty();
    }

    static final String NOT_STARTED = "the hostpub runtime is not running in this container (Jetty: enable the "
            + "ee10-annotations module so the runtime's ServletContainerInitializer runs; see the container's log)";
}
