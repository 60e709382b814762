package com.example.gsping;

import com.example.gsping.support.AppProcess;
import com.example.gsping.support.RawHttp;
import com.example.gsping.support.SlowController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged service as its own process: what an operator sees at start, on errors and at stop. */
class ServerProcessIT {

    private static final Duration FAIL_FAST = Duration.ofSeconds(2);
    private static final Duration STARTUP = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(strings = {"abc", "70000", "0", "-5", "80 80"})
    void badPortExitsNonZeroWithOneLineNamingTheValue(String port) throws Exception {
        try (AppProcess app = AppProcess.start(port)) {
            assertNotEquals(0, app.awaitExit(FAIL_FAST));
            String stderr = app.stderr();
            assertEquals(1, stderr.lines().count(), stderr);
            assertTrue(stderr.contains("PORT '" + port + "'"), stderr);
        }
    }

    @Test
    void portInUseExitsNonZeroWithOneLineNamingThePort() throws Exception {
        try (ServerSocket occupied = new ServerSocket()) {
            occupied.bind(new InetSocketAddress(0));
            int port = occupied.getLocalPort();
            try (AppProcess app = AppProcess.start(Integer.toString(port))) {
                assertNotEquals(0, app.awaitExit(STARTUP));
                String stderr = app.stderr();
                assertEquals(1, stderr.lines().count(), stderr);
                assertTrue(stderr.contains("port " + port) && stderr.contains("in use"), stderr);
                assertFalse(app.stdout().contains("ERROR"), "the failure is told once, on stderr: " + app.stdout());
            }
        }
    }

    @Test
    void servesOnPortFromEnvAndLogsEachRequestAsJsonOnStdout() throws Exception {
        int port = AppProcess.freePort();
        try (AppProcess app = AppProcess.start(Integer.toString(port))) {
            app.awaitReady(port, STARTUP);
            assertEquals("Hello, Docker! <3", RawHttp.get(port, "/").body());

            app.terminate();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(5)));
            assertTrue(app.stdout().lines().anyMatch(line -> line.startsWith("{\"time\":") && line.contains("\"uri\":\"/\"")
                    && line.contains("\"status\":200")), app.stdout());
        }
    }

    @Test
    void sigtermLetsTheInFlightRequestFinishThenExitsZero() throws Exception {
        int port = AppProcess.freePort();
        try (AppProcess app = AppProcess.start(Integer.toString(port), SlowController.ENABLED + "=true")) {
            app.awaitReady(port, STARTUP);
            CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.get(port, SlowController.SLOW_PATH);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(SlowController.DELAY_MS / 4);

            long stopAt = System.nanoTime();
            app.terminate();

            RawHttp.Response response = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.status());
            assertEquals("slow done", response.body());
            assertEquals(0, app.awaitExit(Duration.ofSeconds(5)));
            assertTrue(System.nanoTime() - stopAt < Duration.ofSeconds(5).toNanos(), "exit within 5 s of SIGTERM");
            assertThrows(java.io.IOException.class, () -> RawHttp.get(port, "/health"), "no longer accepting");
        }
    }
}
