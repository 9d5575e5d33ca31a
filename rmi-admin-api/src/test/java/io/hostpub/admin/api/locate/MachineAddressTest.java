package io.hostpub.admin.api.locate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MachineAddressTest {

    @Test
    void parsesTheDocumentedForms() {
        assertThat(MachineAddress.parse("127.0.0.1", 30099)).isEqualTo(new MachineAddress("127.0.0.1", 30099));
        assertThat(MachineAddress.parse("host-a.example:31000", 30099))
                .isEqualTo(new MachineAddress("host-a.example", 31000));
        assertThat(MachineAddress.parse("[::1]:31000", 30099)).isEqualTo(new MachineAddress("::1", 31000));
        assertThat(MachineAddress.parse("[::1]", 30099).toString()).isEqualTo("[::1]:30099");
    }

    @Test
    void rejectsBadInputWithAReason() {
        assertThatThrownBy(() -> MachineAddress.parse("", 1)).hasMessageContaining("empty");
        assertThatThrownBy(() -> MachineAddress.parse("host:0", 1)).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> MachineAddress.parse("host:99999", 1)).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> MachineAddress.parse("a b", 1)).hasMessageContaining("not HOST or HOST:PORT");
        assertThatThrownBy(() -> MachineAddress.parse("<script>", 1)).hasMessageContaining("not HOST or HOST:PORT");
    }
}
