package io.hostpub.admin.api.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Where an installation keeps its files, by the documented precedence:
 * <ul>
 *   <li>home: system property {@code hostpub.home}, else {@code $HOSTPUB_HOME}, else {@code ~/.hostpub};</li>
 *   <li>config file: system property {@code hostpub.config}, else {@code $HOSTPUB_CONFIG}, else
 *       {@code <home>/conf/hostpub.xml};</li>
 *   <li>secret file: system property {@code hostpub.secretFile}, else the config file's
 *       {@code <secretFile>} (relative to the home), else {@code <home>/conf/secret}.</li>
 * </ul>
 * Clients that only need the secret (the socket factory inside a stub) use {@link #secretFile()} without
 * loading the whole configuration.
 */
public record InstallationPaths(Path home, Path configFile) {

    public static InstallationPaths fromEnvironment() {
        return from(System.getProperties(), System.getenv());
    }

    public static InstallationPaths from(java.util.Properties props, Map<String, String> env) {
        Path home = Optional.ofNullable(props.getProperty("hostpub.home"))
                .or(() -> Optional.ofNullable(env.get("HOSTPUB_HOME")))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .orElse(Path.of(props.getProperty("user.home", "."), ".hostpub"));
        Path config = Optional.ofNullable(props.getProperty("hostpub.config"))
                .or(() -> Optional.ofNullable(env.get("HOSTPUB_CONFIG")))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .orElse(home.resolve("conf").resolve("hostpub.xml"));
        return new InstallationPaths(home, config);
    }

    public Path defaultSecretFile() {
        return home.resolve("conf").resolve("secret");
    }

    /** The secret file by the documented precedence (reads only the {@code secretFile} element). */
    public Path secretFile() throws IOException {
        String override = System.getProperty("hostpub.secretFile");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        if (Files.isRegularFile(configFile)) {
            Optional<String> fromFile = readElement(configFile, "secretFile");
            if (fromFile.isPresent()) {
                return home.resolve(fromFile.get());
            }
        }
        return defaultSecretFile();
    }

    private static Optional<String> readElement(Path file, String element) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 2 && reader.getLocalName().equals(element)) {
                        return Optional.of(reader.getElementText().strip());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            return Optional.empty();
        } catch (XMLStreamException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
