package com.example.gsping;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Go original's table-driven TestIntMinTableDriven, as a JUnit table. */
class IntMinTest {

    @ParameterizedTest(name = "IntMin({0}, {1}) = {2}")
    @CsvSource({
        "0, 1, 0",
        "1, 0, 0",
        "2, -2, -2",
        "0, -1, -1",
        "-1, 0, -1",
        "-3, -7, -7",
        "5, 5, 5",
        "0, 0, 0",
        "-2147483648, 2147483647, -2147483648",
    })
    void intMinReturnsTheSmallerOfTwo(int a, int b, int expected) {
        assertEquals(expected, IntMin.intMin(a, b));
    }
}
