package io.hostpub.admin.web;

import io.hostpub.admin.web.xml.XmlViews;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes API documents (JSON by default, XML on {@code Accept: application/xml}) and error pages. */
final class Responses {


    private Responses() {
    }

    static boolean wantsXml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        int xml = indexOfAny(accept, "application/xml", "text/xml");
        int json = accept.indexOf("application/json");
        return xml >= 0 && (json < 0 || xml < json);
    }

    private static int indexOfAny(String text, String... needles) {
        int best = -1;
        for (String needle : needles) {
            int at = text.indexOf(needle);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Writes a DTO as JSON (the shared serializer, identical to {@code hpctl --json}) or XML (JAXB). */
    static void document(HttpServletRequest request, HttpServletResponse response, int status, Object dto)
            throws IOException {
        response.setStatus(status);
        response.setCharacterEncoding("UTF-8");
        if (wantsXml(request)) {
            response.setContentType("application/xml;charset=UTF-8");
            response.getOutputStream().write(XmlViews.marshal(dto).getBytes(StandardCharsets.UTF_8));
        } else {
            response.setContentType("application/json;charset=UTF-8");
            response.getOutputStream().write(io.hostpub.admin.api.json.Json.write(dto));
        }
    }

    /** The API's answer to an action that was carried out: {@code {"ok": true, "message": ...}}. */
    static void done(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        request.setAttribute(WebAudit.OUTCOME, message);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("message", message);
        document(request, response, 200, result);
    }

    static void apiError(HttpServletRequest request, HttpServletResponse response, int status, String message)
            throws IOException {
        request.setAttribute(WebAudit.OUTCOME, message);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("error", message);
        if (wantsXml(request)) {
            response.setStatus(status);
            response.setContentType("application/xml;charset=UTF-8");
            response.getOutputStream().write(XmlViews.marshal(new XmlViews.Error(status, message))
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.getOutputStream().write(io.hostpub.admin.api.json.Json.write(error));
    }

    /** An error as the API's JSON/XML document, or as an HTML page for the UI. */
    static void error(HttpServletRequest request, HttpServletResponse response, boolean api, int status,
            String message) throws IOException, ServletException {
        if (api) {
            apiError(request, response, status, message);
            return;
        }
        request.setAttribute(WebAudit.OUTCOME, message);
        response.setStatus(status);
        request.setAttribute("status", status);
        request.setAttribute("message", message);
        request.getRequestDispatcher("/WEB-INF/views/error.jsp").forward(request, response);
    }
}
