package com.example.gsping.web;

import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Netty's HTTP/1 server codec with Micronaut's settings (as Micronaut's own HttpPipelineBuilder
 * passes them), whose request headers are {@link ContentLengthTrackingHeaders}. The decoder offers
 * no other way to see that a request had both Content-Length and Transfer-Encoding.
 */
final class FramingAwareServerCodec {

    private FramingAwareServerCodec() {
    }

    static HttpServerCodec create(NettyHttpServerConfiguration server) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(server.getMaxInitialLineLength())
                .setMaxHeaderSize(server.getMaxHeaderSize())
                .setMaxChunkSize(server.getMaxChunkSize())
                .setInitialBufferSize(server.getInitialBufferSize())
                .setValidateHeaders(server.isValidateHeaders());
        DefaultHttpHeadersFactory validation = DefaultHttpHeadersFactory.headersFactory().withValidation(server.isValidateHeaders());
        return new HttpServerCodec(config.setHeadersFactory(new HttpHeadersFactory() {
            @Override
            public HttpHeaders newHeaders() {
                return new ContentLengthTrackingHeaders(validation);
            }

            @Override
            public HttpHeaders newEmptyHeaders() {
                return validation.newEmptyHeaders();
            }
        }));
    }
}
