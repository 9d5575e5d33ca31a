package io.hostpub.runtime.config;

import io.hostpub.admin.api.model.InstanceNames;
import io.hostpub.admin.api.wire.InstallationPaths;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Loads the installation's configuration: {@code hostpub.xml} (absent file = defaults), then every key
 * overridden by the system property {@code hostpub.<key>}. An unknown element, an unparsable value or a
 * constraint violation fails with a {@link ConfigException} naming the key and the value's origin.
 */
public final class ConfigLoader {

    private static final System.Logger LOG = System.getLogger(ConfigLoader.class.getName());

    /** Hibernate Validator logs its version at INFO on every bootstrap; held strongly so the level sticks. */
    private static final java.util.logging.Logger VALIDATOR_LOG =
            java.util.logging.Logger.getLogger("org.hibernate.validator");

    private final Properties properties;
    private final Map<String, String> environment;

    public ConfigLoader(Properties properties, Map<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    public static RuntimeConfig fromEnvironment() {
        return new ConfigLoader(System.getProperties(), System.getenv()).load();
    }

    public RuntimeConfig load() {
        InstallationPaths paths = InstallationPaths.from(properties, environment);
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        if (Files.isRegularFile(paths.configFile())) {
            Map<String, String> fromFile = readFile(paths.configFile());
            ConfigFilePermissions.check(paths.configFile(), fromFile);
            fromFile.forEach((key, value) -> {
                raw.put(key, value);
                origin.put(key, paths.configFile().toString());
            });
        } else if (Files.exists(paths.configFile())) {
            throw new ConfigException("configuration " + paths.configFile() + " is not a regular file");
        }
        for (String key : ConfigDocument.KEYS) {
            String override = properties.getProperty("hostpub." + key);
            if (override != null) {
                raw.put(key, override.strip());
                origin.put(key, "system property hostpub." + key);
            }
        }
        ConfigValues values = convert(raw, origin);
        validate(values, raw, origin);
        return toConfig(values, paths, origin);
    }

    private static Map<String, String> readFile(Path file) {
        try (InputStream in = new java.io.ByteArrayInputStream(repeatedKeysChecked(file))) {
            XMLInputFactory xif = XMLInputFactory.newFactory();
            xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            xif.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            XMLStreamReader reader = xif.createXMLStreamReader(in);
            Unmarshaller unmarshaller = JAXBContext.newInstance(ConfigDocument.class).createUnmarshaller();
            unmarshaller.setEventHandler(event -> {
                throw new ConfigException("configuration " + file + " line "
                        + event.getLocator().getLineNumber() + ": " + event.getMessage());
            });
            ConfigDocument document = (ConfigDocument) unmarshaller.unmarshal(reader);
            return document.values();
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + FileProblems.describe(e), e);
        } catch (JAXBException | XMLStreamException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ConfigException config) {
                throw config;
            }
            throw new ConfigException("configuration " + file + " is not valid XML: " + cause.getMessage(), e);
        } catch (ClassCastException e) {
            throw new ConfigException("configuration " + file + " must have the root element <hostpub>", e);
        }
    }

    private static byte[] repeatedKeysChecked(Path file) throws IOException {
        byte[] xml = Files.readAllBytes(file);
        RepeatedKeys.check(xml, file);
        return xml;
    }

    private static ConfigValues convert(Map<String, String> raw, Map<String, String> origin) {
        ConfigValues v = new ConfigValues();
        for (var entry : raw.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            switch (key) {
                case "supervisorPort" -> v.supervisorPort = parseInt(key, value, origin);
                case "licenseLimit" -> v.licenseLimit = parseInt(key, value, origin);
                case "licenseWaitMs" -> v.licenseWaitMs = parseLong(key, value, origin);
                case "progressProbeMs" -> v.progressProbeMs = parseLong(key, value, origin);
                case "licenseReclaimMs" -> v.licenseReclaimMs = parseLong(key, value, origin);
                case "licenseRosterWaitMs" -> v.licenseRosterWaitMs = parseLong(key, value, origin);
                case "licenseLeaseUnits" -> v.licenseLeaseUnits = parseInt(key, value, origin);
                case "licenseLeaseIdleMs" -> v.licenseLeaseIdleMs = parseLong(key, value, origin);
                case "bindAddress" -> v.bindAddress = value;
                case "instanceName" -> v.instanceName = value.isEmpty() ? null : value;
                case "secretFile" -> v.secretFile = value;
                case "adminUser" -> v.adminUser = value;
                case "adminPassword" -> v.adminPassword = value;
                case "adminPasswordHash" -> v.adminPasswordHash = value;
                case "viewerUser" -> v.viewerUser = value.isEmpty() ? null : value;
                case "viewerPassword" -> v.viewerPassword = value;
                case "viewerPasswordHash" -> v.viewerPasswordHash = value;
                default -> throw new IllegalStateException("unhandled key " + key);
            }
        }
        return v;
    }

    private static int parseInt(String key, String value, Map<String, String> origin) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(invalid(key, value, origin, "is not an integer"));
        }
    }

    private static long parseLong(String key, String value, Map<String, String> origin) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(invalid(key, value, origin, "is not an integer"));
        }
    }

    private static String invalid(String key, String value, Map<String, String> origin, String problem) {
        boolean secret = key.startsWith("adminPassword") || key.startsWith("viewerPassword");
        return "invalid configuration key '" + key + "': " + (secret ? "the value" : "'" + value + "'") + " "
                + problem + " (from " + origin.getOrDefault(key, "default") + ")";
    }

    private static void validate(ConfigValues values, Map<String, String> raw, Map<String, String> origin) {
        Set<ConstraintViolation<ConfigValues>> violations;
        if (VALIDATOR_LOG.getLevel() == null) {
            VALIDATOR_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        try (ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()) {
            violations = factory.getValidator().validate(values);
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> {
                        String key = v.getPropertyPath().toString();
                        return invalid(key, String.valueOf(v.getInvalidValue()), origin, v.getMessage());
                    })
                    .collect(Collectors.joining("; ")));
        }
        if (values.instanceName != null) {
            String problem = InstanceNames.problem(values.instanceName);
            if (problem != null) {
                throw new ConfigException(invalid("instanceName", values.instanceName, origin, problem));
            }
        }
    }

    private static RuntimeConfig toConfig(ConfigValues v, InstallationPaths paths, Map<String, String> origin) {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(v.bindAddress);
        } catch (UnknownHostException e) {
            throw new ConfigException(invalid("bindAddress", v.bindAddress, origin, "does not resolve"));
        }
        if (bind.isAnyLocalAddress()) {
            LOG.log(System.Logger.Level.WARNING, "bindAddress " + v.bindAddress + " (from "
                    + origin.getOrDefault("bindAddress", "default") + ") listens on every network of this host: the"
                    + " supervisor port and the RMI ports (authenticated, but open to floods) are reachable from"
                    + " anywhere that routes here; prefer the address of the network the installation uses");
        }
        Path secret = v.secretFile != null ? paths.home().resolve(v.secretFile) : paths.defaultSecretFile();
        return new RuntimeConfig(paths.home(), v.supervisorPort, bind, Optional.ofNullable(v.instanceName),
                v.licenseLimit, v.licenseWaitMs, secret, v.adminUser, Optional.ofNullable(v.adminPassword),
                Optional.ofNullable(v.adminPasswordHash), v.progressProbeMs, v.licenseReclaimMs,
                v.licenseRosterWaitMs, v.licenseLeaseUnits, v.licenseLeaseIdleMs, viewer(v));
    }

    /** The read-only account; its password keys without {@code viewerUser} are a mistake, not silently ignored. */
    private static Optional<ViewerAccount> viewer(ConfigValues v) {
        if (v.viewerUser == null) {
            if (v.viewerPassword != null || v.viewerPasswordHash != null) {
                throw new ConfigException("invalid configuration: viewerPassword or viewerPasswordHash is given but"
                        + " viewerUser is not (the read-only account needs a user name)");
            }
            return Optional.empty();
        }
        return Optional.of(new ViewerAccount(v.viewerUser, Optional.ofNullable(v.viewerPassword),
                Optional.ofNullable(v.viewerPasswordHash)));
    }
}
