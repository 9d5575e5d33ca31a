package io.hostpub.runtime.container;

import io.hostpub.admin.api.model.ApplicationInfo;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.concurrent.atomic.AtomicInteger;

/** One web application the runtime is attached to: describes it and detaches the runtime when it stops. */
final class DeployedApplication implements ServletContextListener, HttpSessionListener {

    private final ServletContext context;
    private final ContainerHost host;
    private final AtomicInteger sessions = new AtomicInteger();

    DeployedApplication(ServletContext context, ContainerHost host) {
        this.context = context;
        this.host = host;
    }

    ApplicationInfo describe() {
        String path = context.getContextPath();
        String display = context.getServletContextName();
        int servlets;
        try {
            servlets = context.getServletRegistrations().size();
        } catch (UnsupportedOperationException notOffered) {
            servlets = 0;
        }
        return new ApplicationInfo(path, display == null || display.isBlank() ? (path.isEmpty() ? "/" : path)
                : truncate(display), servlets, Math.max(0, sessions.get()));
    }

    private static String truncate(String text) {
        return text.length() > 256 ? text.substring(0, 256) : text;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        host.detach(context);
    }

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        sessions.incrementAndGet();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        sessions.decrementAndGet();
    }
}
