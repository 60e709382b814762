package com.example.gsping.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client takes longer than the request read timeout to deliver a whole
 * request (line, headers and body), counted from the moment the server waits for it: the
 * connection opening, or the last pending response being written. A slowloris client trickling
 * a byte a second never trips Micronaut's idle timeouts (every byte resets them), but it does trip
 * this one. The clock stops while the server owes responses, so slow routes are not cut off.
 * Sits right after the HTTP codec; one instance per connection. A request only notes the time:
 * at most one timer per connection is pending, and it re-arms itself for the remaining time
 * instead of being scheduled and cancelled on every request.
 */
final class RequestReadTimeoutHandler extends ChannelDuplexHandler {

    static final String NAME = "request-read-timeout";
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final long timeoutNanos;
    /** Between a request's head and its last content. */
    private boolean receivingRequest;
    /** Requests received whose final (non-1xx) response has not been written yet. */
    private int unansweredRequests;
    private boolean writingFinalResponse;
    /** System.nanoTime() when the server started waiting on the client, or {@link #NOT_WAITING}. */
    private long waitingSince = NOT_WAITING;
    private ScheduledFuture<?> check;

    RequestReadTimeoutHandler(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        updateDeadline(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            receivingRequest = true;
            unansweredRequests++;
        }
        if (msg instanceof LastHttpContent) {
            // Delivered in time: this wait is over. Micronaut often answers on the request's head,
            // before its (empty) last content arrives, so without this reset a busy keep-alive
            // connection would keep the clock of its very first wait and be cut off.
            receivingRequest = false;
            waitingSince = NOT_WAITING;
        }
        updateDeadline(ctx);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            writingFinalResponse = response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && writingFinalResponse) {
            unansweredRequests--;
            updateDeadline(ctx);
        }
        ctx.write(msg, promise);
    }

    /**
     * From any thread ({@link ConnectionLimit}, at the limit): closes the connection if it has
     * waited at least this long for a request head, with no response owed. A connection mid-request
     * or owing a response is left alone.
     */
    void closeIfIdleFor(Channel connection, long nanos) {
        connection.eventLoop().execute(() -> {
            if (!receivingRequest && unansweredRequests == 0 && System.nanoTime() - waitingSince >= nanos) {
                connection.close();
            }
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelCheck();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelCheck();
        ctx.fireChannelInactive();
    }

    /** The clock runs while the server waits on the client: mid-request, or with nothing left to answer. */
    private void updateDeadline(ChannelHandlerContext ctx) {
        boolean waitingOnClient = receivingRequest || unansweredRequests == 0;
        if (!waitingOnClient) {
            waitingSince = NOT_WAITING;
        } else if (waitingSince == NOT_WAITING) {
            waitingSince = System.nanoTime();
            if (check == null) {
                scheduleCheck(ctx, timeoutNanos);
            }
        }
    }

    private void checkDeadline(ChannelHandlerContext ctx) {
        check = null;
        if (waitingSince == NOT_WAITING) {
            return; // the next wait schedules its own check
        }
        long remaining = waitingSince + timeoutNanos - System.nanoTime();
        if (remaining <= 0) {
            ctx.close();
        } else {
            scheduleCheck(ctx, remaining);
        }
    }

    private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> checkDeadline(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
