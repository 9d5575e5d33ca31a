package io.hostpub.admin.web;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.pool.LicensedPool;
import io.hostpub.runtime.pool.PoolSpec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code /app/query[?holdMs=N]}: a sample application using the runtime's licensed pool {@code sample} (in-memory
 * H2): it borrows a connection, runs a query and holds the connection for up to {@code holdMs} (max 5000), so
 * concurrent traffic opens physical connections and moves the machine's license tally. Public, read-only; it is
 * an application of the clone, not part of the admin interface.
 */
public final class SampleAppServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String POOL = "sample";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<HostpubRuntime> runtime = WebContext.runtime(getServletContext());
        response.setContentType("text/plain;charset=UTF-8");
        if (runtime.isEmpty()) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "hostpub runtime not running");
            return;
        }
        long hold = parseHold(request.getParameter("holdMs"));
        if (hold < 0) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "holdMs must be 0..5000");
            return;
        }
        LicensedPool pool;
        try {
            pool = pool(runtime.get());
        } catch (RuntimeException e) {
            // the sample's H2 driver lives on the container's class path, not in the WAR: say what is missing
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the sample pool cannot start (" + e
                    .getMessage() + "); the sample application needs the H2 JDBC driver (h2-*.jar) on the"
                    + " container's class path");
            return;
        }
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT H2VERSION()")) {
            rows.next();
            String version = rows.getString(1);
            if (hold > 0) {
                TimeUnit.MILLISECONDS.sleep(hold);
            }
            response.getWriter().println("instance " + runtime.get().name() + " served this with pool " + POOL
                    + " (H2 " + version + "); licenses held by this instance: " + runtime.get().licenses().holdings()
                    + " (and " + runtime.get().licenses().reserve() + " leased for local grants)");
        } catch (SQLException e) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "no connection: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "interrupted");
        }
    }

    private static synchronized LicensedPool pool(HostpubRuntime runtime) {
        return runtime.pools().pool(POOL)
                .orElseGet(() -> runtime.pools().create(PoolSpec.h2(POOL, "sample-" + runtime.name(), 1, 8)));
    }

    private static long parseHold(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long hold = Long.parseLong(text.strip());
            return hold >= 0 && hold <= 5_000 ? hold : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
