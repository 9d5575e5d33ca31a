package io.hostpub.coordinator.api;

/** The empty request of a route that needs no argument: {@code {}} on the wire. */
public record NoBody() {

    public static final NoBody INSTANCE = new NoBody();
}
