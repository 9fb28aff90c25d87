package dev.athanor.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The response as the handler sees it, holding back what would send it before the unit of work has ended: closing
 * the output stream or writer (Jackson's {@code writeValue(stream, ...)} does) and a {@code Content-Length} (the
 * container completes a response once that many bytes are written). Both take effect when the filter has committed
 * the session; a flush, or a body larger than the response buffer, still commits the response early.
 */
final class SessionResponse extends HttpServletResponseWrapper {
    private static final String CONTENT_LENGTH = "Content-Length";

    private long contentLength = -1;
    private ServletOutputStream stream;
    private PrintWriter writer;
    private boolean closeRequested;

    SessionResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream real = super.getOutputStream();
            stream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return real.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    real.setWriteListener(listener);
                }

                @Override
                public void write(int b) throws IOException {
                    real.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    real.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    real.flush();
                }

                @Override
                public void close() {
                    closeRequested = true;
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(super.getWriter(), false) {
                @Override
                public void close() {
                    closeRequested = true;
                }
            };
        }
        return writer;
    }

    @Override
    public void setContentLength(int len) {
        contentLength = len;
    }

    @Override
    public void setContentLengthLong(long len) {
        contentLength = len;
    }

    @Override
    public void setHeader(String name, String value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            contentLength = value == null ? -1 : Long.parseLong(value.strip());
        } else {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            setHeader(name, value);
        } else {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            contentLength = value;
        } else {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void reset() {
        super.reset();
        contentLength = -1;
        stream = null;
        writer = null;
        closeRequested = false;
    }

    /** Lets the held-back length and close through, once the unit of work has ended. */
    void release() throws IOException {
        HttpServletResponse real = (HttpServletResponse) getResponse();
        if (contentLength >= 0 && !real.isCommitted()) {
            real.setContentLengthLong(contentLength);
        }
        if (closeRequested) {
            if (writer != null) {
                real.getWriter().close();
            } else {
                real.getOutputStream().close();
            }
        }
    }
}
