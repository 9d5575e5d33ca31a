package io.hostpub.clone;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One embedded Jetty 12 (ee10) clone: the WAR on one HTTP port, with annotations (so the runtime's
 * {@code ServletContainerInitializer} runs), JSP and the JMX beans the runtime reads its HTTP ports from.
 * Stops, undeploying the WAR, on SIGTERM.
 */
public final class JettyClone {

    private JettyClone() {
    }

    public static void main(String[] args) {
        CloneArguments.main(args, JettyClone::run);
    }

    static void run(CloneArguments arguments) throws Exception {
        Server server = new Server();
        MBeanContainer mbeans = new MBeanContainer(ManagementFactory.getPlatformMBeanServer());
        server.addBean(mbeans);
        server.addEventListener(mbeans);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(arguments.bind().getHostAddress());
        connector.setPort(arguments.port());
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(arguments.contextPath());
        webapp.setWar(arguments.war().toString());
        Files.createDirectories(arguments.work());
        webapp.setTempDirectory(Files.createTempDirectory(arguments.work(), "jetty-").toFile());
        webapp.setAttribute("org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern",
                ".*/jakarta.servlet-api-[^/]*\\.jar$|.*/jakarta.servlet.jsp.jstl-.*\\.jar$");
        server.setHandler(webapp);
        server.setStopAtShutdown(true);
        server.start();
        if (webapp.isFailed() || webapp.getUnavailableException() != null) {
            server.stop();
            throw new IllegalStateException("deployment of " + arguments.war() + " failed",
                    webapp.getUnavailableException());
        }
        server.join();
    }
}
