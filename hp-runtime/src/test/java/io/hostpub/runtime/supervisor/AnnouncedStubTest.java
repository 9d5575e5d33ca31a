package io.hostpub.runtime.supervisor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.admin.api.wire.InstallationSecret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** An announced stub bound before it is read: refused bytes stay refused, and never go out as anything else. */
class AnnouncedStubTest {

    private final AnnouncedStub garbage = new AnnouncedStub(new byte[] {1, 2, 3}, InstallationSecret.of(new byte[32]));

    @Test
    void bytesThatAreNotAStubAreRefusedEveryTime() {
        assertThatThrownBy(garbage::resolve).isInstanceOf(IOException.class);
        assertThatThrownBy(garbage::resolve).isInstanceOf(IOException.class);
    }

    @Test
    void aRegistryLookupOfARefusedStubFailsWithTheReason() {
        // what the registry does when a client looks the name up: marshal the bound object
        assertThatThrownBy(() -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(garbage))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("announced stub refused");
    }
}
