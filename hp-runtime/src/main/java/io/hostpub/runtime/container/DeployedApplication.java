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

    /**
     * The listener the container is given: a proxy whose class is defined in the servlet API's class loader.
     * Containers keep metadata per listener class (Jetty's JMX bean container never forgets a class it saw), so
     * a listener of this class would keep the WAR's class loader after undeploy; the proxy's class does not.
     */
    java.util.EventListener listener() {
        java.lang.reflect.InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "hostpub listener of " + context.getContextPath();
                };
            }
            try {
                return method.invoke(this, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (java.util.EventListener) java.lang.reflect.Proxy.newProxyInstance(
                ServletContextListener.class.getClassLoader(),
                new Class<?>[] {ServletContextListener.class, HttpSessionListener.class}, handler);
    }

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
