package com.example.gsping;

import com.example.gsping.support.AppProcess;
import com.example.gsping.support.KeepAliveConnection.Outcome;
import com.example.gsping.support.RawHttp;
import com.example.gsping.support.SlowController;
import com.example.gsping.support.StopUnderLoad;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker stop} during traffic (a rolling deploy): the packaged service as its own process, kept busy by
 * {@value StopUnderLoad#CLIENTS} kept-alive clients on / and /health plus slow requests in flight.
 */
class ShutdownUnderLoadIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    /** The grace period (4 s in application.properties) and a margin; docker stop's own limit is 10 s. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(6);

    @Test
    void sigtermUnderLoadFinishesRequestsInFlightRefusesNewConnectionsAndExitsZero() throws Exception {
        int port = AppProcess.freePort();
        try (AppProcess app = AppProcess.start(Integer.toString(port), SlowController.ENABLED + "=true")) {
            app.awaitReady(port, STARTUP);
            StopUnderLoad run = StopUnderLoad.run(port, app::terminate);
            int exitCode = app.awaitExit(EXIT_WITHIN);
            long exitMs = (System.nanoTime() - run.stoppedAtNanos()) / 1_000_000;
            boolean clientsEndedRefused = run.awaitClientsRefused();
            System.out.println(run.summary("SIGTERM") + "; exit " + exitCode + " within " + exitMs + " ms");

            assertEquals(0, exitCode);
            assertEquals(StopUnderLoad.SLOW_REQUESTS, run.slowAnsweredAfterStop(), "the slow requests in flight finish");
            assertEquals(List.of(), run.withOutcome(Outcome.TRUNCATED, Outcome.TIMED_OUT), "no answer cut off, none hanging");
            // Not asserted: that every fast request sent before SIGTERM is answered. Now and then (1 run in 10 here)
            // a request that reached an idle kept-alive connection in the last millisecond before SIGTERM is closed
            // without an answer (HTTP/1.1 allows it, RFC 9112 9.3.1: clients retry); the summary above counts them.
            assertEquals(List.of(), run.sentBeforeStopNotAnswered().stream().filter(e -> e.outcome() != Outcome.NO_RESPONSE).toList(),
                    "a request sent before SIGTERM is answered or its connection closed before any answer byte");
            assertEquals(List.of(), run.wrongAnswers());
            assertTrue(clientsEndedRefused, "every client ends on a refused connection, none on a hang");
            assertThrows(ConnectException.class, () -> RawHttp.get(port, "/health"));
            String log = app.stdout() + app.stderr();
            assertTrue(log.lines().noneMatch(line -> line.contains("Exception") || line.startsWith("\tat ")), log);
        }
    }

    /** The same run with SIGKILL: the checks above see what a hard stop drops, so they can fail. */
    @Test
    void sigkillUnderLoadDropsTheRequestsInFlightAndTheChecksSeeIt() throws Exception {
        int port = AppProcess.freePort();
        try (AppProcess app = AppProcess.start(Integer.toString(port), SlowController.ENABLED + "=true")) {
            app.awaitReady(port, STARTUP);
            StopUnderLoad run = StopUnderLoad.run(port, app::kill);
            int exitCode = app.awaitExit(EXIT_WITHIN);
            run.awaitClientsRefused();
            System.out.println(run.summary("SIGKILL"));

            assertNotEquals(0, exitCode);
            assertEquals(0, run.slowAnsweredAfterStop(), "the slow requests in flight are dropped");
            assertEquals(StopUnderLoad.SLOW_REQUESTS, run.sentBeforeStopNotAnswered().stream()
                    .filter(e -> e.path().equals(SlowController.SLOW_PATH)).count());
        }
    }
}
