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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.HostNames;

/**
 * Port 80 of the simulated Internet: lab sites redirect to HTTPS (as the real ones do), and the
 * public CA's repository host serves its certificates and CRLs, so AIA and CRL URLs resolve.
 */
@Sharable
final class PlainHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final DomainCatalogue catalogue;
    private final String repositoryHost;
    private final Map<String, RepositoryFile> repository;

    PlainHttpHandler(DomainCatalogue catalogue, String repositoryHost, Map<String, RepositoryFile> repository) {
        this.catalogue = catalogue;
        this.repositoryHost = repositoryHost;
        this.repository = Map.copyOf(repository);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String hostHeader = request.headers().get(HttpHeaderNames.HOST, "");
        String host = HostNames.normalize(hostHeader.replaceFirst(":\\d+$", "")).orElse("");
        String pathAndQuery = originForm(request.uri());
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        FullHttpResponse response;
        if (host.equals(repositoryHost)) {
            RepositoryFile f = repository.get(path);
            if (f == null) {
                response = SiteRequestHandler.text(HttpResponseStatus.NOT_FOUND, "no such file in the CA repository\n");
            } else {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(f.content()));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType())
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, f.content().length);
            }
        } else if (catalogue.isInsideLab(host)) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.LOCATION, "https://" + host + pathAndQuery)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        } else {
            response = SiteRequestHandler.text(HttpResponseStatus.NOT_FOUND, "This server does not host that name.\n");
        }
        response.headers().set(HttpHeaderNames.SERVER, "mitmlab-origin");
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The path and query of a request target, also when a client sent it in absolute form. */
    static String originForm(String target) {
        try {
            java.net.URI uri = new java.net.URI(target);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        } catch (java.net.URISyntaxException e) {
            return target.startsWith("/") ? target : "/";
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** A file of the CA repository. */
    record RepositoryFile(String contentType, byte[] content) {
    }
}
