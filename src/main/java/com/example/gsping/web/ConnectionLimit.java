package com.example.gsping.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stops accepting connections while {@value #MAX_CONNECTIONS} are open, as Tomcat's
 * {@code maxConnections} does: further clients wait in the kernel's accept backlog, not in the
 * heap, and are let in as others close. The heap is fixed (the pom's jvmFlags) and every open
 * connection holds a few KB of it: without a limit, 7,000 clients at once ran the 48 MB heap out
 * of memory and the JVM exited. Neither Netty nor Micronaut has such a limit, hence this class.
 * Netty's accept loop may take a few more connections in the read that reaches the limit
 * (at most its messages-per-read, 16).
 * <p>
 * While at the limit, every {@value #IDLE_TIMEOUT_AT_LIMIT} it closes the connections that have
 * waited that long for a request head with no response owed, as nginx reuses idle keep-alive
 * connections when it runs out: otherwise 4,100 clients that never send a byte held every slot
 * until the 30 s request read timeout, and reconnected. Each connection's
 * {@link RequestReadTimeoutHandler} decides on its own event loop, where its state is exact.
 */
@Singleton
final class ConnectionLimit implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String MAX_CONNECTIONS = "gsping.server.max-connections";
    static final String IDLE_TIMEOUT_AT_LIMIT = "gsping.server.idle-timeout-at-limit";

    private final int maxConnections;
    private final long idleTimeoutAtLimitNanos;
    private final Set<Channel> open = new HashSet<>();
    private boolean closingIdle;

    ConnectionLimit(@Value("${" + MAX_CONNECTIONS + "}") int maxConnections,
                    @Value("${" + IDLE_TIMEOUT_AT_LIMIT + "}") Duration idleTimeoutAtLimit) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS + " must be at least 1, not " + maxConnections);
        }
        if (idleTimeoutAtLimit.isNegative() || idleTimeoutAtLimit.isZero()) {
            throw new IllegalArgumentException(IDLE_TIMEOUT_AT_LIMIT + " must be positive, not " + idleTimeoutAtLimit);
        }
        this.maxConnections = maxConnections;
        this.idleTimeoutAtLimitNanos = idleTimeoutAtLimit.toNanos();
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                if (role == ChannelRole.LISTENER) {
                    channel.pipeline().addFirst(new AcceptedConnectionCounter());
                }
                return this;
            }
        });
        return event.getBean();
    }

    /**
     * Counts a connection when the listener accepts it, in the accept loop itself. Counted later,
     * once the connection's own pipeline is set up on its event loop, the count lagged behind the
     * accepts: when the open connections all closed at once, the listener took in the whole backlog
     * before any of it was counted (33 of 60 waiting clients at a limit of 3, ConnectionLimitTest),
     * and 12,000 clients ran the heap out that way.
     */
    private final class AcceptedConnectionCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel connection) {
                Channel listener = ctx.channel();
                counted(listener, connection, true);
                connection.closeFuture().addListener(closed -> counted(listener, connection, false));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Synchronized: an open and a close on two event loops must not leave a stale setting behind. */
    private synchronized void counted(Channel listener, Channel connection, boolean opened) {
        if (opened) {
            open.add(connection);
        } else {
            open.remove(connection);
        }
        boolean atLimit = open.size() >= maxConnections;
        listener.config().setAutoRead(!atLimit);
        if (atLimit && !closingIdle) {
            closingIdle = true;
            listener.eventLoop().execute(() -> closeIdle(listener));
        }
    }

    /** At once on reaching the limit, then every idle timeout while still at it (more than the limit included). */
    private void closeIdle(Channel listener) {
        List<Channel> connections;
        synchronized (this) {
            closingIdle = open.size() >= maxConnections;
            if (!closingIdle) {
                return;
            }
            connections = List.copyOf(open);
        }
        for (Channel connection : connections) {
            RequestReadTimeoutHandler requests = connection.pipeline().get(RequestReadTimeoutHandler.class);
            if (requests != null) { // null until the connection's pipeline is set up: it has only just opened
                requests.closeIfIdleFor(connection, idleTimeoutAtLimitNanos);
            }
        }
        listener.eventLoop().schedule(() -> closeIdle(listener), idleTimeoutAtLimitNanos, TimeUnit.NANOSECONDS);
    }

    synchronized int openConnections() {
        return open.size();
    }
}
