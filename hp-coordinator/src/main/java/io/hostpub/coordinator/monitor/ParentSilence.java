package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.RequestSigner;
import java.time.Duration;

/**
 * How long a child's parent may be silent before the child starts another: {@code timeout} while the death-watch link
 * is down (a parent that never linked, or a link lost to a partition), {@code hungAfter} while it is open (the
 * parent's process lives: slow, not dead, until then); and the signer of the child's greeting on that link
 * ({@link WatchGreeting}).
 */
public record ParentSilence(Duration timeout, Duration hungAfter, RequestSigner signer) {
}
