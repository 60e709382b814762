package com.example.gsping;

/** Port of the Go original's {@code IntMin}, kept with its table test as the project's unit-test example. */
public final class IntMin {

    private IntMin() {
    }

    public static int intMin(int a, int b) {
        return a < b ? a : b;
    }
}
