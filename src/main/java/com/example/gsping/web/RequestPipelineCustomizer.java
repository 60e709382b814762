package com.example.gsping.web;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.json.JsonMapper;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseStatus;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Installs this service's two Netty handlers just before Micronaut's request handler on every
 * HTTP/1 connection: {@link OversizedRequestHandler} and {@link ExactPathHandler}.
 */
@Singleton
final class RequestPipelineCustomizer implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private final ExactPathHandler exactPath = new ExactPathHandler();
    private final OversizedRequestHandler oversizedRequest;

    RequestPipelineCustomizer(JsonMapper jsonMapper) {
        this.oversizedRequest = new OversizedRequestHandler(status -> errorBody(jsonMapper, status));
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
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, OversizedRequestHandler.NAME, oversizedRequest);
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, ExactPathHandler.NAME, exactPath);
        }
    }
}
