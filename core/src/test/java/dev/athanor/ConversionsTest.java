package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversionsTest {

    @Test
    void numbersWidenAndNarrow() {
        assertThat(Conversions.convert(5, Long.class, "c")).isEqualTo(5L);
        assertThat(Conversions.convert(5L, int.class, "c")).isEqualTo(5);
        assertThat(Conversions.convert(new BigDecimal("2.50"), Double.class, "c")).isEqualTo(2.5);
        assertThat(Conversions.convert(7, BigDecimal.class, "c")).isEqualByComparingTo("7");
        assertThat(Conversions.convert(1, Boolean.class, "c")).isTrue();
        assertThatThrownBy(() -> Conversions.convert(Long.MAX_VALUE, Integer.class, "c"))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void datesMap() {
        LocalDateTime t = LocalDateTime.of(2026, 11, 21, 9, 30);
        assertThat(Conversions.convert(Timestamp.valueOf(t), LocalDateTime.class, "c")).isEqualTo(t);
        assertThat(Conversions.convert(Timestamp.valueOf(t), Instant.class, "c"))
                .isEqualTo(Timestamp.valueOf(t).toInstant());
        assertThat(Conversions.convert(java.sql.Date.valueOf("2026-11-21"), LocalDate.class, "c"))
                .isEqualTo(LocalDate.of(2026, 11, 21));
    }

    @Test
    void stringsBecomeUuidsEnumsAndBooleans() {
        UUID id = UUID.randomUUID();
        assertThat(Conversions.convert(id.toString(), UUID.class, "c")).isEqualTo(id);
        assertThat(Conversions.convert("COMMIT", ResetOnReturn.class, "c")).isEqualTo(ResetOnReturn.COMMIT);
        assertThat(Conversions.convert("true", Boolean.class, "c")).isTrue();
        assertThat(Conversions.convert(42, String.class, "c")).isEqualTo("42");
    }

    @Test
    void impossibleConversionsNameTheColumnAndTypes() {
        assertThatThrownBy(() -> Conversions.convert("abc", LocalDate.class, "born"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'born' holds a java.lang.String that cannot be read as java.time.LocalDate");
        assertThatThrownBy(() -> Conversions.convert(null, int.class, "n"))
                .hasMessageContaining("column 'n' is NULL and cannot be read as int");
        assertThat(Conversions.convert(null, Integer.class, "n")).isNull();
    }
}
