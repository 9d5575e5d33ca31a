package io.hostpub.admin.web;

import io.hostpub.runtime.HostpubRuntime;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /hpadmin/metrics}: this clone's figures for Prometheus, in its text format, or OpenMetrics when the
 * scraper's {@code Accept} asks for it (Prometheus does). Authenticated like the API (HTTP Basic). Written by the
 * Prometheus Java client's exposition writers; collected per scrape ({@link ScrapeCollector}).
 */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<HostpubRuntime> runtime = WebContext.runtime(getServletContext());
        if (runtime.isEmpty()) {
            Responses.apiError(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, WebContext.NOT_STARTED);
            return;
        }
        Optional<ClusterGateway> cluster;
        try {
            cluster = Optional.of(ClusterGateway.of(getServletContext()));
        } catch (AdminFailure e) {
            cluster = Optional.empty();
        }
        String accept = request.getHeader("Accept");
        ExpositionFormatWriter writer = accept != null && accept.contains("application/openmetrics-text")
                ? FORMATS.getOpenMetricsTextFormatWriter() : FORMATS.getPrometheusTextFormatWriter();
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        writer.write(body, ScrapeCollector.collect(runtime.get(), Gateways.of(getServletContext()), cluster));
        response.setContentType(writer.getContentType());
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }
}
