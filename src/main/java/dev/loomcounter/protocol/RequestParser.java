package dev.loomcounter.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses one request line (its bytes, without the line end) into a {@link Request}. Pure: no I/O, no state, so the
 * reader of a connection can call it from any thread.
 *
 * <p>The grammar, in full: blanks (spaces, tabs) around the line are ignored; {@code STOP} in any case is a stop;
 * otherwise exactly two integers separated by one or more blanks. An integer is an optional {@code +} or {@code -}
 * and the ASCII digits 0-9, nothing else: no other digit scripts, separators, or prefixes.
 *
 * <p>Written by hand rather than with a regular expression: every request of every client passes here, and a scan
 * of a dozen characters costs a fraction of what a matcher and a decoder per line do.
 */
public final class RequestParser {

    private static final String BLANKS = " \t";

    private final int maxIncrements;

    public RequestParser(int maxIncrements) {
        if (maxIncrements < 0) {
            throw new IllegalArgumentException("maxIncrements must not be negative: " + maxIncrements);
        }
        this.maxIncrements = maxIncrements;
    }

    public Request parse(byte[] line) {
        if (isAscii(line)) {
            // ASCII is valid UTF-8 as it is: no decoder needed (a compact string copies the bytes).
            return parse(new String(line, StandardCharsets.ISO_8859_1));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
        } catch (CharacterCodingException e) {
            return bad("the line is not valid UTF-8");
        }
        return parse(text);
    }

    public Request parse(String line) {
        String trimmed = strip(line);
        if (trimmed.isEmpty()) {
            return bad("empty line: expected '<start> <increments>' or STOP");
        }
        if (trimmed.equalsIgnoreCase("STOP")) {
            return new Request.Stop();
        }
        int blank = firstBlank(trimmed);
        int second = blank + 1;
        // The line is trimmed: after a blank inside it there is always a non-blank, so this stays in the line.
        while (blank >= 0 && isBlank(trimmed.charAt(second))) {
            second++;
        }
        if (blank < 0 || !isInteger(trimmed, 0, blank) || !isInteger(trimmed, second, trimmed.length())) {
            return bad("expected two integers '<start> <increments>' or STOP, got '" + abbreviate(trimmed) + "'");
        }
        String startText = trimmed.substring(0, blank);
        String incrementsText = trimmed.substring(second);
        long start;
        long increments;
        try {
            start = Long.parseLong(startText);
        } catch (NumberFormatException e) {
            return bad("start " + abbreviate(startText) + " is out of the 64-bit range");
        }
        try {
            increments = Long.parseLong(incrementsText);
        } catch (NumberFormatException e) {
            return bad("increments " + abbreviate(incrementsText) + " is out of the 64-bit range");
        }
        if (increments < 0) {
            return new Request.Rejected(ErrorCode.NEGATIVE_INCREMENTS,
                    "increments must be 0 or more, got " + increments);
        }
        if (increments > maxIncrements) {
            return new Request.Rejected(ErrorCode.TOO_MANY_INCREMENTS,
                    "at most " + maxIncrements + " increments per request, got " + increments);
        }
        if (start > Long.MAX_VALUE - increments) {
            return new Request.Rejected(ErrorCode.OVERFLOW,
                    start + " + " + increments + " leaves the 64-bit range");
        }
        return new Request.Count(start, (int) increments);
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return BLANKS.indexOf(c) >= 0;
    }

    private static int firstBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isBlank(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** An optional sign, then one or more ASCII digits, and nothing else, in {@code text[from, to)}. */
    private static boolean isInteger(String text, int from, int to) {
        int digits = from < to && (text.charAt(from) == '+' || text.charAt(from) == '-') ? from + 1 : from;
        if (digits >= to) {
            return false;
        }
        for (int i = digits; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static Request.Rejected bad(String reason) {
        return new Request.Rejected(ErrorCode.BAD_REQUEST, reason);
    }

    private static String strip(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && isBlank(line.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(line.charAt(to - 1))) {
            to--;
        }
        return line.substring(from, to);
    }

    /** Error messages quote the client's input; keep a long one short and its control characters visible. */
    private static String abbreviate(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        StringBuilder safe = new StringBuilder(shown.length());
        shown.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                safe.append(String.format("\\u%04x", cp));
            } else {
                safe.appendCodePoint(cp);
            }
        });
        return safe.toString();
    }
}
