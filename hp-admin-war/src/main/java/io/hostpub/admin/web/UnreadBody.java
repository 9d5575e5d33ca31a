package io.hostpub.admin.web;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Discards, after a refusal has been answered, the part of the request body nobody read. A container that closes a
 * connection while the client is still sending leaves unread bytes in the kernel's receive buffer, and the kernel then
 * resets the connection instead of closing it: the client's own kernel drops the answer it had already received, and
 * the client sees "header parser received no bytes" instead of the 411 or 413 (a chunked 1 MiB form to Jetty failed
 * one CI run so). Reading and throwing away at most {@link #LIMIT} bytes lets the close be an orderly one. The bytes
 * are never parsed or kept; a client sending more than the limit is cut off, as Tomcat's {@code maxSwallowSize} does.
 */
final class UnreadBody {

    /** Tomcat's default {@code maxSwallowSize}: what a refused client may still send before it is cut off. */
    static final long LIMIT = 2L * 1024 * 1024;

    private UnreadBody() {
    }

    static void discardAfterAnswer(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return;
        }
        try {
            response.flushBuffer();
            ServletInputStream body = request.getInputStream();
            byte[] sink = new byte[16 * 1024];
            long discarded = 0;
            int n;
            while (discarded < LIMIT && (n = body.read(sink)) >= 0) {
                discarded += n;
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away, or the container already consumed or closed the body: nothing left to discard
        }
    }
}
