package io.hostpub.runtime.container;

import io.hostpub.admin.api.model.ApplicationInfo;
import io.hostpub.runtime.ContainerFacts;
import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.config.ConfigLoader;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime of a servlet container JVM, shared by the web applications that see this class: the first
 * application to start starts it, the last one to stop closes it. With the runtime in {@code WEB-INF/lib} that
 * is just {@code HostPublisher.war}; installed at container level, every application of the JVM.
 *
 * <p>The one static instance is the JVM-wide runtime guard of the container placement (as {@code RuntimeGuard}
 * is for every runtime): it lives in the class loader that holds the runtime.
 */
public final class ContainerHost {

    /** The {@code ServletContext} attribute holding the {@link HostpubRuntime}. */
    public static final String RUNTIME_ATTRIBUTE = HostpubRuntime.class.getName();

    private static final ContainerHost JVM = new ContainerHost();
    private static final System.Logger LOG = System.getLogger(ContainerHost.class.getName());

    private final Map<ServletContext, DeployedApplication> applications = new LinkedHashMap<>();
    private HostpubRuntime runtime;

    private ContainerHost() {
    }

    public static ContainerHost jvm() {
        return JVM;
    }

    /** Starts the runtime if this is the first application, and makes it available to the application. */
    public synchronized void attach(ServletContext context) throws ServletException {
        if (applications.containsKey(context)) {
            return;
        }
        DeployedApplication application = new DeployedApplication(context, this);
        if (runtime == null || runtime.isClosed()) {
            runtime = start(context);
        }
        context.addListener(application.listener());
        applications.put(context, application);
        context.setAttribute(RUNTIME_ATTRIBUTE, runtime);
        LOG.log(System.Logger.Level.INFO, "hostpub[" + runtime.name() + "] serves application '"
                + context.getContextPath() + "' (" + applications.size() + " attached)");
    }

    /** Closes the runtime when the last attached application stops. */
    synchronized void detach(ServletContext context) {
        if (applications.remove(context) == null) {
            return;
        }
        context.removeAttribute(RUNTIME_ATTRIBUTE);
        if (applications.isEmpty() && runtime != null) {
            HostpubRuntime closing = runtime;
            runtime = null;
            closing.close();
            if (context.getClassLoader() == ContainerHost.class.getClassLoader()) {
                deregisterOwnJdbcDrivers();
            }
        }
    }

    /**
     * In a WAR, the JDBC drivers it brought (H2 for the sample pool) registered themselves with the JVM-wide
     * {@code DriverManager}; left there they keep the undeployed application's class loader.
     */
    private static void deregisterOwnJdbcDrivers() {
        ClassLoader own = ContainerHost.class.getClassLoader();
        for (java.sql.Driver driver : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == own) {
                try {
                    java.sql.DriverManager.deregisterDriver(driver);
                } catch (java.sql.SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot deregister JDBC driver " + driver + ": " + e);
                }
            }
        }
    }

    synchronized List<ApplicationInfo> applications() {
        return applications.values().stream().map(DeployedApplication::describe).toList();
    }

    private HostpubRuntime start(ServletContext context) throws ServletException {
        ServerInfo server = ServerInfo.parse(context.getServerInfo());
        ContainerFacts facts = new ContainerFacts(Optional.of(server.display()), HttpPorts.discover(),
                Optional.of(server.shortName()), this::applications);
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        try {
            // configuration first: JAXB and the validator find their implementations through the context loader
            var config = ConfigLoader.fromEnvironment();
            // then start with a neutral context loader: threads the runtime starts, and the ones the JDK's RMI
            // starts lazily on its first export (its GC latency daemon lives on), inherit it; with the
            // application's loader they would keep an undeployed WAR in memory. The system loader, not the
            // platform loader: Tomcat's java.util.logging manager configures loggers by the context loader, and
            // only the system loader's tree has the handlers of conf/logging.properties (catalina.out, the
            // catalina log); under the platform loader every event line was lost
            self.setContextClassLoader(ClassLoader.getSystemClassLoader());
            return HostpubRuntime.builder(config)
                    .container(facts)
                    .onShutdown(ContainerHost::exitJvm)
                    .start();
        } catch (RuntimeException e) {
            throw new ServletException("hostpub runtime did not start in " + server.display() + ": " + e.getMessage(), e);
        } finally {
            self.setContextClassLoader(previous);
        }
    }

    /** A remote graceful shutdown stops the container: its shutdown hook stops every application. */
    private static void exitJvm() {
        System.exit(0);
    }
}
