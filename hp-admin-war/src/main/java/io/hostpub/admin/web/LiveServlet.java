package io.hostpub.admin.web;

import io.hostpub.admin.api.locate.MachineAddress;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /hpadmin/live?page=machine|cluster[&machine=HOST:PORT]&shown=FINGERPRINT}: a server-sent event stream
 * that says {@code changed} as soon as the page a browser shows is out of date (a failover, a join, a departure, a
 * job's state); the page's script then fetches it again and swaps its content in place. A stream lasts at most
 * {@link #STREAM_MS}; the browser's EventSource opens the next one by itself.
 */
public final class LiveServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final long STREAM_MS = 10 * 60_000;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String page = String.valueOf(request.getParameter("page"));
        String shown = String.valueOf(request.getParameter("shown"));
        if (!page.equals("machine") && !page.equals("cluster") || shown.length() > 64) {
            Responses.error(request, response, true, HttpServletResponse.SC_BAD_REQUEST,
                    "page must be machine or cluster (and shown a page's fingerprint)");
            return;
        }
        MachineAddress machine;
        try {
            AdminGateway gateway = Gateways.of(getServletContext()).orElseThrow(() -> new AdminFailure(
                    AdminFailure.Kind.NO_SUPERVISOR, WebContext.NOT_STARTED));
            machine = gateway.machine(request.getParameter("machine"));
        } catch (AdminFailure e) {
            Responses.error(request, response, true, e.status(), e.getMessage());
            return;
        }
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(STREAM_MS);
        LiveFeeds feeds = LiveFeeds.of(getServletContext());
        async.addListener(new AsyncListener() {
            @Override public void onComplete(AsyncEvent event) {
                feeds.end(async);
            }
            @Override public void onTimeout(AsyncEvent event) {
                feeds.end(async);
            }
            @Override public void onError(AsyncEvent event) {
                feeds.end(async);
            }
            @Override public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        if (!feeds.add(async, new LiveFeeds.Watch(page, machine), shown)) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            async.complete();
            return;
        }
        response.getOutputStream().write("retry: 1000\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    @Override
    public void destroy() {
        LiveFeeds.existing(getServletContext()).ifPresent(LiveFeeds::close);
    }
}
