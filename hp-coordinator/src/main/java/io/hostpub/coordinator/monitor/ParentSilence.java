package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.RequestSigner;
import java.time.Duration;

/**
 * How long a child's parent may be silent before the child starts another: {@code timeout} while the death-watch link
 * is down (a parent that never linked, or a link lost to a partition), {@code hungAfter} while it is open (the
 * parent's process lives: slow, not dead, until then); the signer of the child's greeting on that link
 * ({@link WatchGreeting}); and, asked before the child fences the position off, what live coordinator holds it
 * ({@link LiveHolder}: its polls may be what is slow, on a lossy network).
 */
public record ParentSilence(Duration timeout, Duration hungAfter, RequestSigner signer,
        java.util.function.Supplier<java.util.Optional<String>> liveHolder) {

    /** A silence with nobody to ask whether the parent's position is held by a live coordinator. */
    public ParentSilence(Duration timeout, Duration hungAfter, RequestSigner signer) {
        this(timeout, hungAfter, signer, java.util.Optional::empty);
    }
}
