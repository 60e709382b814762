package com.example.gsping.support;

import com.example.gsping.support.KeepAliveConnection.Exchange;
import com.example.gsping.support.KeepAliveConnection.Outcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a running server busy with kept-alive clients, stops it once it is busy (enough answers had, slow
 * requests known to be in flight, not merely sent), and records what became of every request. The stop
 * signal's moment is the only clock: no sleeps decide anything.
 */
public final class StopUnderLoad {

    public static final int CLIENTS = 48;
    public static final int SLOW_REQUESTS = 4;
    /** Answers the clients must have had before the stop, so it lands on a warm, busy server. */
    public static final int ANSWERS_BEFORE_STOP = 2_000;
    private static final List<String> PATHS = List.of("/", "/health");
    private static final Map<String, String> BODIES = Map.of(
            "/", "Hello, Docker! <3", "/health", "{\"Status\":\"OK\"}", SlowController.SLOW_PATH, "slow done");
    /** A client still running this long after the stop means the server neither answered nor refused. */
    private static final Duration CLIENT_LIMIT_AFTER_STOP = Duration.ofSeconds(20);

    private final int port;
    private final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + SLOW_REQUESTS);
    private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicLong firstRefusedAt = new AtomicLong(Long.MAX_VALUE);
    private final List<Future<Boolean>> clients = new ArrayList<>();
    private volatile long stoppedAt = Long.MAX_VALUE;

    private StopUnderLoad(int port) {
        this.port = port;
    }

    /**
     * Starts the clients, waits for {@link #ANSWERS_BEFORE_STOP} answers, starts {@link #SLOW_REQUESTS} slow
     * requests and waits until the server works on all of them, then runs {@code stop} (a signal).
     */
    public static StopUnderLoad run(int port, Runnable stop) throws Exception {
        StopUnderLoad run = new StopUnderLoad(port);
        for (int client = 0; client < CLIENTS; client++) {
            int first = client;
            run.clients.add(run.threads.submit(() -> run.requestUntilRefused(first)));
        }
        run.await(() -> run.answered.get() >= ANSWERS_BEFORE_STOP, Duration.ofSeconds(30), "answers before the stop");
        for (int slow = 0; slow < SLOW_REQUESTS; slow++) {
            run.threads.submit(run::slowRequest);
        }
        // true only while all of them are in flight at once, so the stop right after finds them in flight
        run.await(run::allSlowRequestsInFlight, Duration.ofSeconds(10), "moment with every slow request in flight");
        run.stoppedAt = System.nanoTime();
        stop.run();
        return run;
    }

    /** Waits for every client to end; true when each ended on a refused connection, none on a hang. */
    public boolean awaitClientsRefused() throws Exception {
        threads.shutdown();
        if (!threads.awaitTermination(CLIENT_LIMIT_AFTER_STOP.toSeconds() + 5, TimeUnit.SECONDS)) {
            throw new AssertionError("clients still running long after the stop");
        }
        boolean allRefused = true;
        for (Future<Boolean> client : clients) {
            allRefused &= client.get();
        }
        return allRefused;
    }

    /** Requests whose last byte was sent before the stop signal but that got no whole answer. */
    public List<Exchange> sentBeforeStopNotAnswered() {
        return exchanges.stream().filter(e -> e.sentAtNanos() < stoppedAt && e.outcome() != Outcome.ANSWERED).toList();
    }

    public List<Exchange> withOutcome(Outcome... outcomes) {
        List<Outcome> wanted = Arrays.asList(outcomes);
        return exchanges.stream().filter(e -> wanted.contains(e.outcome())).toList();
    }

    /** Answers other than 200 with the path's body. */
    public List<Exchange> wrongAnswers() {
        return exchanges.stream().filter(e -> e.outcome() == Outcome.ANSWERED
                && (e.response().status() != 200 || !BODIES.get(e.path()).equals(e.response().body()))).toList();
    }

    /** Slow requests answered after the stop signal: they were in flight when it came. */
    public long slowAnsweredAfterStop() {
        return exchanges.stream().filter(e -> e.path().equals(SlowController.SLOW_PATH)
                && e.outcome() == Outcome.ANSWERED && e.doneAtNanos() > stoppedAt).count();
    }

    public long stoppedAtNanos() {
        return stoppedAt;
    }

    public String summary(String signal) {
        long answeredBefore = exchanges.stream().filter(e -> e.outcome() == Outcome.ANSWERED && e.doneAtNanos() < stoppedAt).count();
        long answeredAfter = withOutcome(Outcome.ANSWERED).size() - answeredBefore;
        long sentAfterNotAnswered = exchanges.stream().filter(e -> e.sentAtNanos() >= stoppedAt && e.outcome() != Outcome.ANSWERED).count();
        long refusedAfterMs = firstRefusedAt.get() == Long.MAX_VALUE ? -1 : (firstRefusedAt.get() - stoppedAt) / 1_000_000;
        return String.format("%s under load (%d clients): answered before it %d, after it %d (slow: %d of %d); not answered: "
                        + "%d sent before it, %d sent after it (on connections the server closed); first refused connect %d ms after it",
                signal, CLIENTS, answeredBefore, answeredAfter, slowAnsweredAfterStop(), SLOW_REQUESTS,
                sentBeforeStopNotAnswered().size(), sentAfterNotAnswered, refusedAfterMs);
    }

    /** GET / and /health in turn on one kept-alive connection, reconnecting when the server closes it. */
    private boolean requestUntilRefused(int first) throws IOException {
        KeepAliveConnection connection = null;
        try {
            for (int i = first; withinLimit(); i++) {
                if (connection == null) {
                    try {
                        connection = KeepAliveConnection.open(port);
                    } catch (SocketException refused) {
                        // after the stop, a connect still in the listen backlog when the process died is reset
                        if (!(refused instanceof ConnectException) && stoppedAt == Long.MAX_VALUE) {
                            throw refused;
                        }
                        firstRefusedAt.accumulateAndGet(System.nanoTime(), Math::min);
                        return true;
                    }
                }
                Exchange exchange = connection.get(PATHS.get(i % PATHS.size()));
                exchanges.add(exchange);
                if (exchange.outcome() == Outcome.ANSWERED) {
                    answered.incrementAndGet();
                } else if (exchange.outcome() == Outcome.TIMED_OUT) {
                    return false;
                }
                if (exchange.closesConnection()) {
                    connection.close();
                    connection = null;
                }
            }
            return false;
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private boolean withinLimit() {
        long stopped = stoppedAt;
        return stopped == Long.MAX_VALUE || System.nanoTime() - stopped < CLIENT_LIMIT_AFTER_STOP.toNanos();
    }

    private void slowRequest() {
        try (KeepAliveConnection connection = KeepAliveConnection.open(port)) {
            exchanges.add(connection.get(SlowController.SLOW_PATH));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean allSlowRequestsInFlight() throws IOException {
        return RawHttp.get(port, SlowController.IN_FLIGHT_PATH).body().equals(Integer.toString(SLOW_REQUESTS));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private void await(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                threads.shutdownNow();
                throw new AssertionError("no " + what + " within " + timeout + " (answers so far: " + answered.get() + ")");
            }
            Thread.sleep(5);
        }
    }
}
