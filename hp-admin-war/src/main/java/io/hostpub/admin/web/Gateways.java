package io.hostpub.admin.web;

import jakarta.servlet.ServletContext;
import java.util.Optional;

/** One {@link AdminGateway} per running runtime, kept in the servlet context. */
final class Gateways {

    private static final String ATTRIBUTE = AdminGateway.class.getName();

    private Gateways() {
    }

    static Optional<AdminGateway> of(ServletContext context) {
        return WebContext.runtime(context).map(runtime -> {
            Object cached = context.getAttribute(ATTRIBUTE);
            if (cached instanceof AdminGateway gateway && gateway.local() == runtime) {
                return gateway;
            }
            AdminGateway gateway = new AdminGateway(runtime);
            context.setAttribute(ATTRIBUTE, gateway);
            return gateway;
        });
    }
}
