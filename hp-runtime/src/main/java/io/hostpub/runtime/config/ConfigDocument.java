package io.hostpub.runtime.config;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JAXB binding of {@code hostpub.xml}: one element per key, every value read as text so a bad value can be
 * reported with its key instead of vanishing in a binding error.
 */
@XmlRootElement(name = "hostpub")
@XmlAccessorType(XmlAccessType.FIELD)
public class ConfigDocument {
    String supervisorPort;
    String bindAddress;
    String instanceName;
    String licenseLimit;
    String licenseWaitMs;
    String secretFile;
    String adminUser;
    String adminPassword;
    String adminPasswordHash;
    String progressProbeMs;

    /** The values present in the file, by key. */
    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "supervisorPort", supervisorPort);
        put(values, "bindAddress", bindAddress);
        put(values, "instanceName", instanceName);
        put(values, "licenseLimit", licenseLimit);
        put(values, "licenseWaitMs", licenseWaitMs);
        put(values, "secretFile", secretFile);
        put(values, "adminUser", adminUser);
        put(values, "adminPassword", adminPassword);
        put(values, "adminPasswordHash", adminPasswordHash);
        put(values, "progressProbeMs", progressProbeMs);
        return values;
    }

    private static void put(Map<String, String> values, String key, String value) {
        if (value != null) {
            values.put(key, value.strip());
        }
    }
}
