package io.hostpub.runtime.config;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
    String licenseReclaimMs;
    String licenseRosterWaitMs;
    String licenseLeaseUnits;
    String licenseLeaseIdleMs;
    String viewerUser;
    String viewerPassword;
    String viewerPasswordHash;

    /** The configuration keys: one per element, in file order. The one list of keys. */
    static final List<String> KEYS = Arrays.stream(ConfigDocument.class.getDeclaredFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers()))
            .map(Field::getName)
            .toList();

    /** The values present in the file, by key. */
    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : KEYS) {
            try {
                String value = (String) ConfigDocument.class.getDeclaredField(key).get(this);
                if (value != null) {
                    values.put(key, value.strip());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("configuration key " + key, e);
            }
        }
        return values;
    }
}
