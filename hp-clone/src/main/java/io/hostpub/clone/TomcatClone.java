package io.hostpub.clone;

import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * One embedded Tomcat clone: the WAR on one HTTP port, with Tomcat's default JSP servlet. Tomcat publishes
 * its connector MBeans itself. Stops, undeploying the WAR, on SIGTERM.
 */
public final class TomcatClone {

    private TomcatClone() {
    }

    public static void main(String[] args) {
        CloneArguments.main(args, TomcatClone::run);
    }

    static void run(CloneArguments arguments) throws Exception {
        Files.createDirectories(arguments.work().resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(arguments.work().toString());
        tomcat.getHost().setAppBase(arguments.work().resolve("webapps").toString());
        Connector connector = new Connector();
        connector.setPort(arguments.port());
        connector.setProperty("address", arguments.bind().getHostAddress());
        tomcat.setConnector(connector);
        Context context = tomcat.addWebapp(arguments.contextPath(), arguments.war().toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                System.err.println("tomcat stop failed: " + e);
            }
        }, "tomcat-clone-shutdown"));
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            tomcat.stop();
            throw new IllegalStateException("deployment of " + arguments.war() + " failed (context " + context.getState()
                    + "); see the log above");
        }
        tomcat.getServer().await();
    }
}
