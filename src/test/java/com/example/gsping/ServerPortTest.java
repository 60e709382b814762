package com.example.gsping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerPortTest {

    @Test
    void unsetPortMeans8080() {
        assertEquals(8080, ServerPort.resolve(null));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "8080, 8080", "65535, 65535", "' 9000 ', 9000"})
    void validPortsAreUsed(String raw, int expected) {
        assertEquals(expected, ServerPort.resolve(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "80a", "8080.0", "0", "-1", "65536", "99999999999"})
    void invalidPortsAreRejectedNamingTheValue(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerPort.resolve(raw));
        assertTrue(e.getMessage().contains("PORT '" + raw + "'"), e.getMessage());
    }
}
