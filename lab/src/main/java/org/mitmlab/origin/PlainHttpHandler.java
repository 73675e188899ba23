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
 * Port 80 of the simulated Internet: lab sites redirect to HTTPS (as the real ones do), the public
 * CA's repository host serves its certificates and CRLs, so AIA and CRL URLs resolve, and lab
 * services ({@link PlainHttpService}: the CT log, the vantage service) answer under their own names.
 */
@Sharable
final class PlainHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final DomainCatalogue catalogue;
    private final String repositoryHost;
    private final Map<String, RepositoryFile> repository;
    private final Map<String, PlainHttpService> services;

    /** @param services lab services by host name; the map is read per request, so services may be added later */
    PlainHttpHandler(DomainCatalogue catalogue, String repositoryHost, Map<String, RepositoryFile> repository,
            Map<String, PlainHttpService> services) {
        this.catalogue = catalogue;
        this.repositoryHost = repositoryHost;
        this.repository = Map.copyOf(repository);
        this.services = services;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String hostHeader = request.headers().get(HttpHeaderNames.HOST, "");
        String host = HostNames.normalize(hostHeader.replaceFirst(":\\d+$", "")).orElse("");
        String pathAndQuery = originForm(request.uri());
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        PlainHttpService service = services.get(host);
        if (service != null) {
            // A service may answer later; closing after its answer keeps a pipelining client's answers in order.
            String method = request.method().name();
            service.respond(method, pathAndQuery).whenComplete((r, error) -> ctx.executor().execute(() -> write(ctx,
                    error == null ? toResponse(r) : SiteRequestHandler.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            host + " failed: " + error + "\n"), false)));
            return;
        }
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
        write(ctx, response, keepAlive);
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        response.headers().set(HttpHeaderNames.SERVER, "mitmlab-origin");
        HttpUtil.setKeepAlive(response, keepAlive);
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse toResponse(SiteResponse r) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType()).setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        return response;
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
