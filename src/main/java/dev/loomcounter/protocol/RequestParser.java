package dev.loomcounter.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one request line (its bytes, without the line end) into a {@link Request}. Pure: no I/O, no state, so the
 * reader of a connection can call it from any thread.
 *
 * <p>The grammar, in full: blanks (spaces, tabs) around the line are ignored; {@code STOP} in any case is a stop;
 * otherwise exactly two integers separated by one or more blanks. An integer is an optional {@code +} or {@code -}
 * and the ASCII digits 0-9, nothing else: no other digit scripts, separators, or prefixes.
 */
public final class RequestParser {

    /** ASCII digits only: {@code \d} would also accept, say, Arabic-Indic digits. */
    private static final Pattern COUNT = Pattern.compile("([+-]?[0-9]+)[ \\t]+([+-]?[0-9]+)");
    private static final String BLANKS = " \t";

    private final int maxIncrements;

    public RequestParser(int maxIncrements) {
        if (maxIncrements < 0) {
            throw new IllegalArgumentException("maxIncrements must not be negative: " + maxIncrements);
        }
        this.maxIncrements = maxIncrements;
    }

    public Request parse(byte[] line) {
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
        Matcher matcher = COUNT.matcher(trimmed);
        if (!matcher.matches()) {
            return bad("expected two integers '<start> <increments>' or STOP, got '" + abbreviate(trimmed) + "'");
        }
        long start;
        long increments;
        try {
            start = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            return bad("start " + abbreviate(matcher.group(1)) + " is out of the 64-bit range");
        }
        try {
            increments = Long.parseLong(matcher.group(2));
        } catch (NumberFormatException e) {
            return bad("increments " + abbreviate(matcher.group(2)) + " is out of the 64-bit range");
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

    private static Request.Rejected bad(String reason) {
        return new Request.Rejected(ErrorCode.BAD_REQUEST, reason);
    }

    private static String strip(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && BLANKS.indexOf(line.charAt(from)) >= 0) {
            from++;
        }
        while (to > from && BLANKS.indexOf(line.charAt(to - 1)) >= 0) {
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
