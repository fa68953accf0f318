package dev.loomcounter.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(100);

    @ParameterizedTest(name = "''{0}'' counts from {1} by {2}")
    @CsvSource(delimiter = '|', value = {
            "2 10|2|10",
            "0 0|0|0",
            "-5 3|-5|3",
            "+7 +2|7|2",
            "'  4 \t  6\t '|4|6",
            "4\t\t6|4|6",
            "00012 007|12|7",
            "-9223372036854775808 100|-9223372036854775808|100",
            "9223372036854775707 100|9223372036854775707|100",
    })
    void parsesCounts(String line, long start, int increments) {
        assertThat(parser.parse(line)).isEqualTo(new Request.Count(start, increments));
    }

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", "Stop", "  sToP\t"})
    void parsesStopInAnyCase(String line) {
        assertThat(parser.parse(line)).isEqualTo(new Request.Stop());
    }

    @ParameterizedTest(name = "''{0}'' is a bad request")
    @ValueSource(strings = {"", "   ", "\t", "1", "1 2 3", "a b", "1 b", "1.0 2", "1,000 2", "0x10 2", "1e3 2",
            "1 2x", "--1 2", "+-1 2", "- 1 2", "1 + 2", "1_000 2", "١ ٢", "１ 2", "STOP now", "STOPP",
            "9223372036854775808 1", "-9223372036854775809 1", "1 99999999999999999999", "1\u00a02"})
    void rejectsMalformedLines(String line) {
        Request request = parser.parse(line);
        assertThat(request).isInstanceOf(Request.Rejected.class);
        assertThat(((Request.Rejected) request).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(((Request.Rejected) request).reason()).isNotBlank();
    }

    @Test
    void rejectsNegativeIncrements() {
        assertThat(parser.parse("5 -1")).isEqualTo(
                new Request.Rejected(ErrorCode.NEGATIVE_INCREMENTS, "increments must be 0 or more, got -1"));
    }

    @Test
    void rejectsTooManyIncrementsButAcceptsTheMaximum() {
        assertThat(parser.parse("5 100")).isEqualTo(new Request.Count(5, 100));
        assertThat(parser.parse("5 101")).isInstanceOfSatisfying(Request.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.TOO_MANY_INCREMENTS));
    }

    @Test
    void rejectsOverflowJustPastTheEdge() {
        assertThat(parser.parse("9223372036854775807 0")).isEqualTo(new Request.Count(Long.MAX_VALUE, 0));
        assertThat(parser.parse("9223372036854775807 1")).isInstanceOfSatisfying(Request.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.OVERFLOW));
        assertThat(parser.parse("9223372036854775800 8")).isInstanceOfSatisfying(Request.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.OVERFLOW));
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        byte[] invalid = {(byte) 0xff, (byte) 0xfe, ' ', '1'};
        assertThat(parser.parse(invalid)).isEqualTo(
                new Request.Rejected(ErrorCode.BAD_REQUEST, "the line is not valid UTF-8"));
        assertThat(parser.parse("3 4".getBytes(StandardCharsets.UTF_8))).isEqualTo(new Request.Count(3, 4));
    }

    @Test
    void quotesLongGarbageShortAndControlCharactersVisibly() {
        Request.Rejected rejected = (Request.Rejected) parser.parse("x".repeat(500) + "\u0007");
        assertThat(rejected.reason()).hasSizeLessThan(150).contains("...");
        Request.Rejected bell = (Request.Rejected) parser.parse("a\u0007b");
        assertThat(bell.reason()).contains("a\\u0007b");
    }
}
