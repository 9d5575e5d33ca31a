package io.hostpub.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path home;

    private RuntimeConfig load(String xml, String... props) throws IOException {
        if (xml != null) {
            Files.createDirectories(home.resolve("conf"));
            Files.writeString(home.resolve("conf/hostpub.xml"), xml);
            if (xml.contains("Password>")) { // as an operator must: a file with a password is its owner's only
                Files.setPosixFilePermissions(home.resolve("conf/hostpub.xml"),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        } else {
            Files.deleteIfExists(home.resolve("conf/hostpub.xml"));
        }
        Properties p = new Properties();
        for (int i = 0; i < props.length; i += 2) {
            p.setProperty(props[i], props[i + 1]);
        }
        return new ConfigLoader(p, Map.of("HOSTPUB_HOME", home.toString())).load();
    }

    @Test
    void theKeysAreExactlyTheDocumentedOnes() {
        assertThat(ConfigDocument.KEYS).containsExactlyInAnyOrder("supervisorPort", "bindAddress", "instanceName",
                "licenseLimit", "licenseWaitMs", "secretFile", "adminUser", "adminPassword", "adminPasswordHash",
                "progressProbeMs", "licenseReclaimMs", "licenseRosterWaitMs", "licenseLeaseUnits",
                "licenseLeaseIdleMs", "viewerUser", "viewerPassword", "viewerPasswordHash");
    }

    @Test
    void aViewerNeedsANameOfItsOwnAndAPasswordAndNeverShowsIt() throws IOException {
        RuntimeConfig config = load("<hostpub><viewerUser>auditor</viewerUser><viewerPassword>read-only-eyes"
                + "</viewerPassword></hostpub>");
        assertThat(config.viewer()).hasValueSatisfying(v -> {
            assertThat(v.user()).isEqualTo("auditor");
            assertThat(v.password()).contains("read-only-eyes");
            assertThat(v.toString()).doesNotContain("read-only-eyes");
        });
        assertThat(load(null).viewer()).isEmpty();
        assertThatThrownBy(() -> load("<hostpub><viewerUser>auditor</viewerUser></hostpub>"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs viewerPassword or viewerPasswordHash");
        assertThatThrownBy(() -> load("<hostpub><viewerPassword>read-only-eyes</viewerPassword></hostpub>"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("viewerUser is not");
        assertThatThrownBy(() -> load("<hostpub><viewerUser>admin</viewerUser><viewerPassword>read-only-eyes"
                + "</viewerPassword></hostpub>")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'viewerUser'").hasMessageContaining("administrator's user name");
        assertThatThrownBy(() -> load("<hostpub><viewerUser>auditor</viewerUser><viewerPassword>short"
                + "</viewerPassword></hostpub>")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'viewerPassword'").hasMessageNotContaining("short");
        assertThatThrownBy(() -> io.hostpub.runtime.security.AdminCredentials.viewer(load("<hostpub><viewerUser>"
                + "auditor</viewerUser><viewerPasswordHash>nonsense</viewerPasswordHash></hostpub>")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'viewerPasswordHash'");
        var viewer = io.hostpub.runtime.security.AdminCredentials.viewer(config).orElseThrow();
        assertThat(viewer.matches("auditor", "read-only-eyes")).isTrue();
        assertThat(viewer.matches("auditor", "wrong-password")).isFalse();
        assertThat(viewer.matches("admin", "read-only-eyes")).isFalse();
    }

    @Test
    void everyKeyCanBeOverriddenBySystemProperty() throws IOException {
        RuntimeConfig config = load(null, "hostpub.bindAddress", "127.0.0.2", "hostpub.licenseWaitMs", "7",
                "hostpub.progressProbeMs", "300", "hostpub.adminUser", "ops", "hostpub.secretFile", "k/s");
        assertThat(config.bindAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(config.licenseWaitMs()).isEqualTo(7);
        assertThat(config.progressProbeMs()).isEqualTo(300);
        assertThat(config.adminUser()).isEqualTo("ops");
        assertThat(config.secretFile()).isEqualTo(home.resolve("k/s"));
    }

    @Test
    void absentFileMeansDefaults() throws IOException {
        RuntimeConfig config = load(null);
        assertThat(config.supervisorPort()).isEqualTo(30099);
        assertThat(config.bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(config.licenseLimit()).isZero();
        assertThat(config.progressProbeMs()).isZero();
        assertThat(config.secretFile()).isEqualTo(home.resolve("conf/secret"));
        assertThat(config.instanceName()).isEmpty();
        assertThat(config.adminUser()).isEqualTo("admin");
    }

    @Test
    void fileValuesAndSystemPropertyOverrides() throws IOException {
        RuntimeConfig config = load("<hostpub><supervisorPort>31000</supervisorPort><licenseLimit>100</licenseLimit>"
                + "<instanceName>a</instanceName></hostpub>", "hostpub.licenseLimit", "7");
        assertThat(config.supervisorPort()).isEqualTo(31000);
        assertThat(config.licenseLimit()).isEqualTo(7);
        assertThat(config.instanceName()).contains("a");
    }

    @Test
    void badValuesNameTheKeyAndTheOrigin() throws IOException {
        assertThatThrownBy(() -> load("<hostpub><supervisorPort>abc</supervisorPort></hostpub>"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'supervisorPort'")
                .hasMessageContaining("not an integer").hasMessageContaining("hostpub.xml");
        assertThatThrownBy(() -> load(null, "hostpub.supervisorPort", "70000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'supervisorPort'")
                .hasMessageContaining("65535").hasMessageContaining("system property hostpub.supervisorPort");
        assertThatThrownBy(() -> load(null, "hostpub.licenseLimit", "-1"))
                .hasMessageContaining("'licenseLimit'");
        assertThatThrownBy(() -> load(null, "hostpub.instanceName", "main"))
                .hasMessageContaining("'instanceName'").hasMessageContaining("reserved");
        // a name with a slash could be listed but never opened: both containers refuse %2F in a path
        assertThatThrownBy(() -> load(null, "hostpub.instanceName", "web/1"))
                .hasMessageContaining("'instanceName'").hasMessageContaining("'/'");
        assertThatThrownBy(() -> load(null, "hostpub.instanceName", ".."))
                .hasMessageContaining("'instanceName'").hasMessageContaining("path segment");
        assertThatThrownBy(() -> load(null, "hostpub.bindAddress", "no.such.host.invalid"))
                .hasMessageContaining("'bindAddress'");
        // a documentation address (RFC 5737): only checked, never bound or contacted
        RuntimeConfig foreign = load(null, "hostpub.bindAddress", "192.0.2.1"); // a client may name another host
        assertThatThrownBy(foreign::requireOwnBindAddress)
                .hasMessageContaining("'bindAddress'").hasMessageContaining("not an address of this host");
        assertThatThrownBy(() -> load(null, "hostpub.adminPassword", "short"))
                .hasMessageContaining("'adminPassword'").hasMessageNotContaining("short");
    }

    @Test
    void unknownElementsAndBrokenXmlAreRefused() {
        assertThatThrownBy(() -> load("<hostpub><supervisorPrt>1</supervisorPrt></hostpub>"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("supervisorPrt");
        assertThatThrownBy(() -> load("<hostpub><supervisorPort>1</hostpub>"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid XML");
        assertThatThrownBy(() -> load("<config/>"))
                .isInstanceOf(ConfigException.class);
        // JAXB once kept the last of two values without a word
        assertThatThrownBy(() -> load("<hostpub>\n<supervisorPort>30099</supervisorPort>\n"
                + "<licenseLimit>4</licenseLimit>\n<supervisorPort>30100</supervisorPort>\n</hostpub>"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("<supervisorPort> is given twice")
                .hasMessageContaining("line 4").hasMessageContaining("line 2").hasMessageContaining("hostpub.xml");
    }

    @Test
    void theWildcardAddressIsAcceptedWithAWarning() throws IOException {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(ConfigLoader.class.getName());
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }
            @Override public void flush() {
            }
            @Override public void close() {
            }
        };
        log.addHandler(capture);
        try {
            assertThat(load(null, "hostpub.bindAddress", "0.0.0.0").bindAddress().isAnyLocalAddress()).isTrue();
            assertThat(records).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(r.getMessage()).contains("0.0.0.0").contains("every network");
            });
            records.clear();
            load(null, "hostpub.bindAddress", "127.0.0.1");
            assertThat(records).isEmpty();
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void aPasswordOthersCanReadOrADirectoryOthersCanWriteIsRefused() throws IOException {
        Path file = home.resolve("conf/hostpub.xml");
        Files.createDirectories(file.getParent());
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        load("<hostpub><adminPassword>a-long-enough-password</adminPassword></hostpub>");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new ConfigLoader(new Properties(), Map.of("HOSTPUB_HOME", home.toString())).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("holds adminPassword")
                .hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600").hasMessageNotContaining(
                        "a-long-enough-password");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(file.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString(
                "rwxrwxrwx"));
        assertThatThrownBy(() -> new ConfigLoader(new Properties(), Map.of("HOSTPUB_HOME", home.toString())).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("writable by others");
        Files.setPosixFilePermissions(file.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString(
                "rwxr-xr-x"));
        assertThat(new ConfigLoader(new Properties(), Map.of("HOSTPUB_HOME", home.toString())).load()
                .adminPassword()).contains("a-long-enough-password");
    }

    @Test
    void externalEntitiesAreNotResolved() {
        assertThatThrownBy(() -> load("<!DOCTYPE hostpub [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<hostpub><instanceName>&x;</instanceName></hostpub>"))
                .isInstanceOf(ConfigException.class);
    }
}
