package com.example.gsping.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashSet;
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
 * At the limit, a connection idle (no request under way, nothing left to send) for at least
 * {@value #RECLAIM_IDLE_AFTER} makes room for a newcomer, the one idle longest first, as nginx
 * reuses idle keep-alive connections: otherwise 4,100 clients that never send a byte held every
 * slot until the request read timeout, and reconnected. Each connection publishes when it went
 * idle ({@link Connection}, written by {@link RequestReadTimeoutHandler}); only a newcomer at the
 * limit looks for the longest idle, so requests pay no shared bookkeeping.
 */
@Singleton
final class ConnectionLimit implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String MAX_CONNECTIONS = "gsping.server.max-connections";
    static final String RECLAIM_IDLE_AFTER = "gsping.server.reclaim-idle-after";
    static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf(ConnectionLimit.class, "connection");

    private final int maxConnections;
    private final long reclaimIdleAfterNanos;
    private int open;
    /** The open connections but those being closed to make room. */
    private final Set<Connection> reclaimable = new HashSet<>();
    private boolean recheckScheduled;

    ConnectionLimit(@Value("${" + MAX_CONNECTIONS + "}") int maxConnections,
                    @Value("${" + RECLAIM_IDLE_AFTER + "}") Duration reclaimIdleAfter) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS + " must be at least 1, not " + maxConnections);
        }
        if (reclaimIdleAfter.isNegative() || reclaimIdleAfter.isZero()) {
            throw new IllegalArgumentException(RECLAIM_IDLE_AFTER + " must be positive, not " + reclaimIdleAfter);
        }
        this.maxConnections = maxConnections;
        this.reclaimIdleAfterNanos = reclaimIdleAfter.toNanos();
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

    /** When a connection went idle, published from its event loop for the listener's. */
    static final class Connection {
        static final long BUSY = Long.MIN_VALUE;

        private final Channel channel;
        /** System.nanoTime() since the connection has been idle, or {@link #BUSY}. */
        private volatile long idleSince = System.nanoTime();

        private Connection(Channel channel) {
            this.channel = channel;
        }

        /** Writes only a change: a volatile write on every call would fence the request path. */
        void idleSince(long nanos) {
            if (idleSince != nanos) {
                idleSince = nanos;
            }
        }
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
            if (msg instanceof Channel channel) {
                Channel listener = ctx.channel();
                Connection connection = new Connection(channel);
                channel.attr(CONNECTION).set(connection);
                accepted(listener, connection);
                channel.closeFuture().addListener(closed -> closed(listener, connection));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Synchronized, as all that follows: an open and a close on two event loops must not leave a stale setting behind. */
    private synchronized void accepted(Channel listener, Connection connection) {
        open++;
        reclaimable.add(connection);
        if (open > maxConnections) {
            Connection idle = longestIdle();
            if (untilReclaimable(idle, System.nanoTime()) <= 0) {
                reclaimable.remove(idle);
                idle.channel.eventLoop().execute(() -> closeIfStillIdle(idle));
            }
        }
        admitWhileRoom(listener);
    }

    private synchronized void closed(Channel listener, Connection connection) {
        open--;
        reclaimable.remove(connection);
        admitWhileRoom(listener);
    }

    /**
     * Accepts while below the limit, or at it while an idle connection can make room. Otherwise
     * checks again once the longest idle connection can: the backlog cannot be watched while not
     * accepting, and a connection going idle does not call here.
     */
    private void admitWhileRoom(Channel listener) {
        long wait = open == maxConnections ? untilReclaimable(longestIdle(), System.nanoTime()) : reclaimIdleAfterNanos;
        boolean room = open < maxConnections || wait <= 0;
        listener.config().setAutoRead(room);
        if (!room && !recheckScheduled) {
            recheckScheduled = true;
            listener.eventLoop().schedule(() -> recheck(listener), wait, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void recheck(Channel listener) {
        recheckScheduled = false;
        admitWhileRoom(listener);
    }

    /** A scan, run only at the limit (accepts, closes, rechecks), so that requests need keep no shared order of idleness. */
    private Connection longestIdle() {
        Connection longest = null;
        long longestSince = Connection.BUSY;
        for (Connection connection : reclaimable) {
            long since = connection.idleSince;
            if (since != Connection.BUSY && (longest == null || since - longestSince < 0)) {
                longest = connection;
                longestSince = since;
            }
        }
        return longest;
    }

    /** @return nanoseconds until the connection may make room, 0 or less for now; the whole wait when none or busy */
    private long untilReclaimable(Connection idle, long now) {
        long since = idle == null ? Connection.BUSY : idle.idleSince;
        return since == Connection.BUSY ? reclaimIdleAfterNanos : since + reclaimIdleAfterNanos - now;
    }

    /** On the connection's own event loop, where its state is exact: a request or a response may have begun since the pick. */
    private void closeIfStillIdle(Connection connection) {
        ChannelOutboundBuffer unsent = connection.channel.unsafe().outboundBuffer();
        if (connection.idleSince != Connection.BUSY && unsent != null && unsent.totalPendingWriteBytes() == 0) {
            connection.channel.close();
        } else if (connection.channel.isOpen()) {
            synchronized (this) {
                reclaimable.add(connection);
            }
        }
    }

    synchronized int openConnections() {
        return open;
    }
}
