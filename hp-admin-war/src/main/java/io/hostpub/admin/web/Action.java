package io.hostpub.admin.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Optional;

/** The state-changing admin actions on one instance, shared by the pages and the API (always POST + CSRF). */
enum Action {
    DELETE_CONNECTION("delete-connection"),
    SOFT_EVICT_POOL("soft-evict-pool"),
    VALIDATE_POOL("validate-pool"),
    DELETE_FAILED_CONNECTIONS("delete-failed-connections"),
    SET_LOG_LEVEL("set-log-level"),
    SHUTDOWN("shutdown");

    private final String path;

    Action(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }

    static Optional<Action> of(String path) {
        return Arrays.stream(values()).filter(a -> a.path.equals(path)).findFirst();
    }

    /**
     * Validates the request's parameters and runs the action on the instance.
     *
     * @return what was done, for the page or the API's answer
     */
    String run(AdminGateway gateway, HttpServletRequest request, String instance) throws AdminFailure {
        var machine = gateway.machine(request.getParameter("machine"));
        return switch (this) {
            case DELETE_CONNECTION -> {
                String pool = poolName(request);
                long id = connectionId(request);
                gateway.call(machine, instance, admin -> {
                    admin.deleteConnection(pool, id);
                    return null;
                });
                yield "connection #" + id + " of pool " + pool + " deleted";
            }
            case SOFT_EVICT_POOL -> {
                String pool = poolName(request);
                gateway.call(machine, instance, admin -> {
                    admin.softEvictPool(pool);
                    return null;
                });
                yield "pool " + pool + " soft-evicted";
            }
            case VALIDATE_POOL -> {
                String pool = poolName(request);
                int failed = gateway.call(machine, instance, admin -> admin.validatePool(pool));
                yield "pool " + pool + " validated: " + failed + " failed connection(s)";
            }
            case DELETE_FAILED_CONNECTIONS -> {
                String pool = poolName(request);
                int deleted = gateway.call(machine, instance, admin -> admin.deleteFailedConnections(pool));
                yield deleted + " failed connection(s) of pool " + pool + " deleted, their license units given back";
            }
            case SET_LOG_LEVEL -> {
                String logger = Optional.ofNullable(request.getParameter("logger")).orElse("");
                String level = required(request, "level");
                gateway.call(machine, instance, admin -> {
                    admin.setLogLevel(logger, level);
                    return null;
                });
                yield "log level of '" + (logger.isEmpty() ? "(root)" : logger) + "' set to " + level;
            }
            case SHUTDOWN -> {
                if (!"yes".equals(request.getParameter("confirm"))) {
                    throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "a shutdown ends the JVM of " + instance
                            + ": confirm it (the form's checkbox, or confirm=yes)");
                }
                // a supervised clone's agent would count its exit as a failure and start it again within seconds:
                // for a job, "shut down" means "stop this job", held stopped by its coordinator
                long pid = gateway.call(machine, instance, admin -> admin.summary().pid());
                Optional<String> job = ClusterGateway.jobOf(request.getServletContext(), machine.host(), pid);
                if (job.isPresent()) {
                    yield "instance " + instance + " is job " + job.get() + " of the cluster: " + ClusterGateway.of(
                            request.getServletContext()).operate(io.hostpub.coordinator.api.operator.OperatorRequest.Operation.STOP_JOB, job.get(), true,
                            PagesServlet.by(request)) + " (held stopped, not restarted; start it on the cluster page)";
                }
                gateway.call(machine, instance, admin -> {
                    admin.shutdown();
                    return null;
                });
                yield "instance " + instance + " is shutting down";
            }
        };
    }

    private static String poolName(HttpServletRequest request) throws AdminFailure {
        String pool = required(request, "pool");
        if (!pool.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "pool must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        return pool;
    }

    private static long connectionId(HttpServletRequest request) throws AdminFailure {
        String text = required(request, "connection");
        try {
            long id = Long.parseLong(text);
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "connection must be a connection number");
        }
    }

    private static String required(HttpServletRequest request, String name) throws AdminFailure {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "parameter '" + name + "' is required");
        }
        if (value.length() > 256) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "parameter '" + name + "' is too long");
        }
        return value.strip();
    }
}
