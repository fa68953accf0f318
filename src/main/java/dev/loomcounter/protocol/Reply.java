package dev.loomcounter.protocol;

import java.util.Optional;

/**
 * One line the server sends, both ways: {@link #toLine()} formats it for the server, {@link #parse(String)} reads it
 * back for a client. Pure: no I/O.
 */
public sealed interface Reply {

    String BYE_LINE = "BYE";
    String ERROR_PREFIX = "ERR ";

    /** The line to send, without its line end. */
    String toLine();

    /** The counter after a request: start + increments, in base 10. */
    record Result(long value) implements Reply {
        @Override
        public String toLine() {
            return Long.toString(value);
        }
    }

    /** {@code ERR <code> <text>}. */
    record Error(ErrorCode code, String text) implements Reply {
        public Error {
            // One line on the wire: a line end inside the text would read as a second reply.
            text = text.replace('\n', ' ').replace('\r', ' ');
        }

        @Override
        public String toLine() {
            return ERROR_PREFIX + code.wireName() + " " + text;
        }
    }

    /** The answer to {@code STOP}, just before the server closes the connection. */
    record Bye() implements Reply {
        @Override
        public String toLine() {
            return BYE_LINE;
        }
    }

    /** Reads a line from the server; empty if it is none of the replies the protocol defines. */
    static Optional<Reply> parse(String line) {
        if (line.equals(BYE_LINE)) {
            return Optional.of(new Bye());
        }
        if (line.startsWith(ERROR_PREFIX)) {
            String rest = line.substring(ERROR_PREFIX.length());
            int space = rest.indexOf(' ');
            String code = space < 0 ? rest : rest.substring(0, space);
            String text = space < 0 ? "" : rest.substring(space + 1);
            return ErrorCode.fromWireName(code).map(errorCode -> new Error(errorCode, text));
        }
        if (!line.matches("-?[0-9]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Result(Long.parseLong(line)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
