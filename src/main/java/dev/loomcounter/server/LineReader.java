package dev.loomcounter.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Splits a connection's bytes into lines ending with LF (a CR before the LF is dropped), at most
 * {@code maxLineBytes} each, without ever holding more than that in memory. A read that times out
 * ({@link java.net.SocketTimeoutException}) loses nothing: the part of a line read so far is kept for the next call.
 */
final class LineReader {

    /** What the next call found. */
    sealed interface Line {
        /** A whole line, without its line end. */
        record Complete(byte[] bytes) implements Line {
        }

        /** A line longer than the limit; its bytes are skipped. */
        record TooLong() implements Line {
        }

        /** The peer closed its side; a line without a final LF is dropped. */
        record EndOfStream() implements Line {
        }
    }

    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8_192];
    private int position;
    private int limit;
    /** One byte more than the limit, for a CR that turns out to precede the LF. */
    private final byte[] line;
    private int length;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[maxLineBytes + 1];
    }

    Line next() throws IOException {
        while (true) {
            if (position == limit) {
                int read = in.read(buffer);
                if (read < 0) {
                    return new Line.EndOfStream();
                }
                position = 0;
                limit = read;
            }
            byte b = buffer[position++];
            if (b == LF) {
                int end = length > 0 && line[length - 1] == CR ? length - 1 : length;
                length = 0;
                if (end > maxLineBytes) {
                    return new Line.TooLong();
                }
                return new Line.Complete(Arrays.copyOf(line, end));
            }
            if (length == line.length) {
                length = 0;
                return new Line.TooLong();
            }
            line[length++] = b;
        }
    }

    /**
     * Reads and drops everything until the peer closes: used once a connection is condemned. Read timeouts do not
     * end it; the connection's other side decides when it is over.
     */
    void discardUntilEnd() throws IOException {
        position = limit;
        while (true) {
            try {
                if (in.read(buffer) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // still condemned, still listening for the hang-up
            }
        }
    }
}
