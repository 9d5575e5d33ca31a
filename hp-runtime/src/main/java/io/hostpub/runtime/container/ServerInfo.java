package io.hostpub.runtime.container;

import java.util.Locale;
import java.util.Objects;

/**
 * The container as {@code ServletContext.getServerInfo()} names it ("jetty/12.1.12", "Apache Tomcat/10.1.59"),
 * turned into the display name of the instance list ("Jetty 12.1.12") and the short name instance names are
 * derived from ("jetty").
 */
public record ServerInfo(String product, String version, String shortName) {

    public ServerInfo {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(shortName, "shortName");
    }

    public static ServerInfo parse(String serverInfo) {
        String text = serverInfo == null ? "" : serverInfo.strip();
        int slash = text.indexOf('/');
        String product = slash < 0 ? text : text.substring(0, slash).strip();
        String version = slash < 0 ? "" : text.substring(slash + 1).strip();
        int space = version.indexOf(' ');
        if (space > 0) {
            version = version.substring(0, space); // "12.1.12 (...)"
        }
        String lower = product.toLowerCase(Locale.ROOT);
        if (lower.contains("jetty")) {
            return new ServerInfo("Jetty", version, "jetty");
        }
        if (lower.contains("tomcat")) {
            return new ServerInfo("Tomcat", version, "tomcat");
        }
        String shortName = lower.replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return new ServerInfo(product.isEmpty() ? "servlet container" : product, version,
                shortName.isEmpty() ? "container" : shortName);
    }

    /** "Jetty 12.1.12", as the instance list shows it. */
    public String display() {
        String shown = version.isEmpty() ? product : product + " " + version;
        return shown.length() > 200 ? shown.substring(0, 200) : shown;
    }
}
