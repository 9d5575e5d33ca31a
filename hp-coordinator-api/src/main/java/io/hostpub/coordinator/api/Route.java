package io.hostpub.coordinator.api;

import java.util.Objects;

/**
 * One operation of the cluster wire: a POST to {@code path} with a {@code request} body, answered with a
 * {@code reply}. Servers register handlers by route and callers call by route (see {@link ClusterRoutes}), so a path
 * and its types are written once.
 */
public record Route<Q, R>(String path, Class<Q> request, Class<R> reply) {

    public Route {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reply, "reply");
        if (!path.startsWith("/") || path.contains("?")) {
            throw new IllegalArgumentException("a route is an absolute path without a query: " + path);
        }
    }

    @Override
    public String toString() {
        return "POST " + path + " (" + request.getSimpleName() + " -> " + reply.getSimpleName() + ")";
    }
}
