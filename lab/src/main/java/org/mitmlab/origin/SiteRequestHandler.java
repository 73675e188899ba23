package org.mitmlab.origin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.HostNames;
import org.mitmlab.domains.LabSite;
import org.mitmlab.pki.WebPki;

/** Answers one aggregated HTTPS request (from HTTP/1.1 or an HTTP/2 stream) with the site's content. */
@Sharable
final class SiteRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final DomainCatalogue catalogue;
    private final SiteContent content;

    SiteRequestHandler(DomainCatalogue catalogue, SiteContent content) {
        this.catalogue = catalogue;
        this.content = content;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Optional<LabSite> site = siteFor(ctx, request);
        FullHttpResponse response;
        if (site.isEmpty()) {
            response = text(HttpResponseStatus.MISDIRECTED_REQUEST, "This server does not host that name.\n");
        } else {
            SiteResponse r = content.respond(site.get(), request.method().name(), request.uri(),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.content().toString(StandardCharsets.UTF_8));
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                    request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
                    // HSTS, as on most 2019 targets: a user shown a forged certificate cannot click through
                    .set("strict-transport-security", "max-age=31536000");
        }
        response.headers().set(HttpHeaderNames.SERVER, "mitmlab-origin");
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The site a request is for: its Host, when the connection's certificate covers that name (as
     * with HTTP/2 connection reuse between facebook.com and www.facebook.com); otherwise none, and
     * the caller answers 421 Misdirected Request. Without a Host header, the SNI decides.
     */
    private Optional<LabSite> siteFor(ChannelHandlerContext ctx, FullHttpRequest request) {
        String sni = OriginSniHandler.sniOf(ctx.channel());
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null) {
            return sni == null ? Optional.empty() : catalogue.site(sni);
        }
        int colon = host.lastIndexOf(':');
        String name = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        Optional<String> normal = HostNames.normalize(name);
        if (normal.isEmpty()) {
            return Optional.empty();
        }
        if (sni != null && !WebPki.namesFor(sni).contains(normal.get())) {
            return Optional.empty();
        }
        return catalogue.site(normal.get());
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
