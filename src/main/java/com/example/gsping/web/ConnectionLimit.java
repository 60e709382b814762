package com.example.gsping.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
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
                if (role == ChannelRole.CONNECTION && channel.parent() != null) {
                    opened(channel);
                }
                return this;
            }
        });
        return event.getBean();
    }

    private void opened(Channel connection) {
        Channel listener = connection.parent();
        counted(listener, 1);
        connection.closeFuture().addListener(closed -> counted(listener, -1));
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
