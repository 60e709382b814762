package com.example.gsping.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import jakarta.inject.Singleton;

/**
 * Stops accepting connections while {@value #MAX_CONNECTIONS} are open, as Tomcat's
 * {@code maxConnections} does: further clients wait in the kernel's accept backlog, not in the
 * heap, and are let in as others close. The heap is fixed (the pom's jvmFlags) and every open
 * connection holds a few KB of it: without a limit, 7,000 clients at once ran the 48 MB heap out
 * of memory and the JVM exited. Neither Netty nor Micronaut has such a limit, hence this class.
 * Netty's accept loop may take a few more connections in the read that reaches the limit
 * (at most its messages-per-read, 16).
 */
@Singleton
final class ConnectionLimit implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String MAX_CONNECTIONS = "gsping.server.max-connections";

    private final int maxConnections;
    private int open;

    ConnectionLimit(@Value("${" + MAX_CONNECTIONS + "}") int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS + " must be at least 1, not " + maxConnections);
        }
        this.maxConnections = maxConnections;
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
                counted(listener, 1);
                connection.closeFuture().addListener(closed -> counted(listener, -1));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Synchronized: an open and a close on two event loops must not leave a stale setting behind. */
    private synchronized void counted(Channel listener, int change) {
        open += change;
        listener.config().setAutoRead(open < maxConnections);
    }

    synchronized int openConnections() {
        return open;
    }
}
