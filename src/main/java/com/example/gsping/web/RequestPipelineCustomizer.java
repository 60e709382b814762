package com.example.gsping.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.json.JsonMapper;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseStatus;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Adjusts every HTTP/1 connection's pipeline: swaps in the {@link FramingAwareServerCodec}, puts
 * the {@link RequestReadTimeoutHandler} right after it, and {@link RejectedRequestHandler} and
 * {@link GoSemanticsHandler} just before Micronaut's request handler.
 */
@Singleton
final class RequestPipelineCustomizer implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String REQUEST_READ_TIMEOUT = "gsping.server.request-read-timeout";

    private final GoSemanticsHandler goSemantics = new GoSemanticsHandler();
    private final NettyHttpServerConfiguration server;
    private final Duration requestReadTimeout;
    private final Function<HttpResponseStatus, byte[]> errorBody;

    RequestPipelineCustomizer(JsonMapper jsonMapper, NettyHttpServerConfiguration server,
                              @Value("${" + REQUEST_READ_TIMEOUT + "}") Duration requestReadTimeout) {
        this.server = server;
        this.requestReadTimeout = requestReadTimeout;
        this.errorBody = status -> errorBody(jsonMapper, status);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                return role == ChannelRole.CONNECTION ? new ConnectionCustomizer(channel.pipeline()) : this;
            }
        });
        return event.getBean();
    }

    private static byte[] errorBody(JsonMapper jsonMapper, HttpResponseStatus status) {
        try {
            return jsonMapper.writeValueAsBytes(new ErrorMessage(status.reasonPhrase()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class ConnectionCustomizer implements NettyServerCustomizer {
        private final ChannelPipeline pipeline;

        ConnectionCustomizer(ChannelPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void onStreamPipelineBuilt() {
            pipeline.replace(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                    FramingAwareServerCodec.create(server));
            pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, RequestReadTimeoutHandler.NAME,
                    new RequestReadTimeoutHandler(requestReadTimeout));
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, RejectedRequestHandler.NAME,
                    new RejectedRequestHandler(errorBody, server.getMaxRequestSize()));
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, GoSemanticsHandler.NAME, goSemantics);
        }
    }
}
