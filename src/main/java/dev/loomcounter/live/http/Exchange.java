package dev.loomcounter.live.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * One request and the means to answer it, exactly once: a whole body ({@link #send}), a head alone for a
 * {@code HEAD} whose body was not computed ({@link #sendWithoutLength}), or a stream that runs until the connection
 * closes ({@link #stream}).
 */
public final class Exchange {

    /** The kernel's send buffer for a stream: a few seconds of the live view's batches. */
    static final int STREAM_SEND_BUFFER_BYTES = 64 * 1024;

    private final RequestHead request;
    private final OutputStream out;
    private final Socket connection;
    private boolean responded;
    private boolean keepAlive;

    Exchange(RequestHead request, OutputStream out, Socket connection) {
        this.request = request;
        this.out = out;
        this.connection = connection;
        this.keepAlive = request.keepAlive();
    }

    public RequestHead request() {
        return request;
    }

    /**
     * Sends {@code body} with its {@code Content-Length}; to a {@code HEAD} request the same head, with the length
     * the body would have, and no body.
     */
    public void send(Status status, String type, byte[] body, Header... headers) throws IOException {
        List<Header> all = headers(type, headers);
        all.add(new Header("Content-Length", Integer.toString(body.length)));
        respond(request.isHead() ? ResponseHead.of(status, all) : ResponseHead.withBody(status, all, body));
    }

    /**
     * Answers a {@code HEAD} request without computing the body, and so without a {@code Content-Length}: for a body
     * that is costly to make, such as a thread dump. RFC 9110 lets a HEAD response leave the length out.
     */
    public void sendWithoutLength(Status status, String type, Header... headers) throws IOException {
        if (!request.isHead()) {
            throw new IllegalStateException("only a HEAD response may leave out its length");
        }
        respond(ResponseHead.of(status, headers(type, headers)));
    }

    /**
     * Sends the head of a response whose body has no known length, and returns the stream to write it to. The body
     * ends when the connection closes, after the handler returns (or when {@link #connection()} is closed).
     */
    public OutputStream stream(Status status, String type, Header... headers) throws IOException {
        keepAlive = false;
        // A stream's bytes wait in the kernel's send buffer while the client is slow. Left to itself, Linux grows
        // that buffer to megabytes on loopback, and a client that stops reading would take minutes to fill it, and
        // only then meet the write timeout: a small, fixed buffer bounds what a stalled client holds, and how long
        // it takes to notice.
        connection.setSendBufferSize(STREAM_SEND_BUFFER_BYTES);
        respond(ResponseHead.of(status, headers(type, headers)));
        return out;
    }

    /**
     * The connection, to end a stream from another thread. A write that stays blocked longer than
     * {@link WebLimits#writeTimeout()} because the client does not read is ended by the server itself.
     */
    public Closeable connection() {
        return connection;
    }

    boolean responded() {
        return responded;
    }

    /** True if the connection serves the next request after this one. */
    boolean keepsAlive() {
        return keepAlive;
    }

    private List<Header> headers(String type, Header... headers) {
        List<Header> all = new ArrayList<>(headers.length + 4);
        all.add(new Header("Content-Type", type));
        all.addAll(List.of(headers));
        if (!keepAlive) {
            all.add(ResponseHead.CLOSE);
        }
        return all;
    }

    private void respond(byte[] bytes) throws IOException {
        if (responded) {
            throw new IllegalStateException("this request has been answered already");
        }
        responded = true;
        out.write(bytes);
        out.flush();
    }
}
