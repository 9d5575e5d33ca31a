package io.hostpub.runtime.container;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Set;

/**
 * The container hook: the container calls it as each web application that sees the runtime starts (only
 * {@code HostPublisher.war} when the runtime is in its {@code WEB-INF/lib}, every application when the runtime
 * is on the container's class path).
 */
public final class HostpubInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        ContainerHost.jvm().attach(context);
    }
}
