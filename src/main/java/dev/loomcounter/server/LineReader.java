package dev.loomcounter.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * Runs on the connection's own thread: splits its bytes into lines ending with LF (a CR before the LF is dropped),
 * at most {@code maxLineBytes} each. It reads straight from the socket into one small buffer that grows only for a
 * long line: an idle connection holds {@value #INITIAL_BYTES} bytes here, not the 16 KiB of an
 * {@code InputStreamReader} and a {@code BufferedReader}.
 */
final class LineReader {

    /** What the next call found. */
    sealed interface Line {
        /** A whole line, without its line end. */
        record Complete(byte[] bytes) implements Line {
        }

        /** A line longer than the limit. */
        record TooLong() implements Line {
        }

        /** The peer closed its side (or reset the connection), and every line before it has been returned. */
        record EndOfStream() implements Line {
        }
    }

    private static final int INITIAL_BYTES = 128;
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buffer;
    /** Bytes [start, limit) are read and not yet returned; [start, scanned) hold no LF. */
    private int start;
    private int scanned;
    private int limit;
    private boolean ended;

    LineReader(Socket socket, int maxLineBytes) throws IOException {
        this.in = socket.getInputStream();
        this.maxLineBytes = maxLineBytes;
        this.buffer = new byte[Math.min(INITIAL_BYTES, maxLineBytes + 2)];
    }

    /** The next line; blocks until it has arrived whole, the stream has ended, or the socket is closed. */
    Line next() throws IOException {
        while (true) {
            for (; scanned < limit; scanned++) {
                if (buffer[scanned] == LF) {
                    int end = scanned > start && buffer[scanned - 1] == CR ? scanned - 1 : scanned;
                    return take(end, scanned + 1);
                }
            }
            // CR LF counts as the line end, so a line may hold one byte more than the limit while its LF is awaited.
            if (limit - start > maxLineBytes + 1) {
                return new Line.TooLong();
            }
            if (ended) {
                // A last line without LF before the end of the stream is still a line: the client sent it.
                return start < limit ? take(limit, limit) : new Line.EndOfStream();
            }
            makeRoom();
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                ended = true;
            } else {
                limit += read;
            }
        }
    }

    /** True if a whole line has been read already: the next call to {@link #next()} returns it without blocking. */
    boolean hasWholeLine() {
        for (int i = scanned; i < limit; i++) {
            if (buffer[i] == LF) {
                return true;
            }
        }
        return false;
    }

    /** Returns bytes [start, end) as a line, and moves on to {@code next}. */
    private Line take(int end, int next) {
        Line line = end - start > maxLineBytes
                ? new Line.TooLong()
                : new Line.Complete(Arrays.copyOfRange(buffer, start, end));
        start = next;
        scanned = next;
        if (start == limit) {
            start = scanned = limit = 0;
        }
        return line;
    }

    /** Moves the unfinished line to the front, and grows the buffer (up to the limit) only if it is still full. */
    private void makeRoom() {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            limit -= start;
            scanned -= start;
            start = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLineBytes + 2));
        }
    }
}
