package dev.loomcounter.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyTest {

    @Test
    void formatsResultsByeAndErrors() {
        assertThat(new Reply.Result(12).toLine()).isEqualTo("12");
        assertThat(new Reply.Result(Long.MIN_VALUE).toLine()).isEqualTo("-9223372036854775808");
        assertThat(new Reply.Bye().toLine()).isEqualTo("BYE");
        assertThat(new Reply.Error(ErrorCode.TOO_MANY_INCREMENTS, "at most 5").toLine())
                .isEqualTo("ERR too-many-increments at most 5");
    }

    @Test
    void keepsAnErrorOnOneLine() {
        assertThat(new Reply.Error(ErrorCode.BAD_REQUEST, "two\nlines\r").toLine())
                .isEqualTo("ERR bad-request two lines ");
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeReadsBackAsItself(ErrorCode code) {
        Reply.Error error = new Reply.Error(code, "some text");
        assertThat(Reply.parse(error.toLine())).contains(error);
    }

    @Test
    void readsResultsAndBye() {
        assertThat(Reply.parse("12")).contains(new Reply.Result(12));
        assertThat(Reply.parse("-3")).contains(new Reply.Result(-3));
        assertThat(Reply.parse("BYE")).contains(new Reply.Bye());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bye", "ERR nonsense code", "1 2", "99999999999999999999", "+5", "ERR"})
    void readsNothingFromLinesOutsideTheProtocol(String line) {
        assertThat(Reply.parse(line)).isEmpty();
    }
}
