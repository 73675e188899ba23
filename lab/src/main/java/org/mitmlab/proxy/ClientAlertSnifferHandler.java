package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Map;

/**
 * Watches the client's records during the forged handshake for a plain-text alert. OpenSSL 3
 * clients (curl, openssl s_client) that reject our certificate in TLS 1.3 send their
 * {@code unknown_ca} alert unencrypted; BoringSSL then only reports a bad record, so without this
 * the refusal would look like a generic error. Removed once the handshake is over.
 */
final class ClientAlertSnifferHandler extends ChannelInboundHandlerAdapter {
    private static final int ALERT = 21;
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(40, "handshake_failure"), Map.entry(42, "bad_certificate"), Map.entry(43, "unsupported_certificate"),
            Map.entry(44, "certificate_revoked"), Map.entry(45, "certificate_expired"), Map.entry(46, "certificate_unknown"),
            Map.entry(48, "unknown_ca"), Map.entry(49, "access_denied"), Map.entry(51, "decrypt_error"),
            Map.entry(80, "internal_error"), Map.entry(90, "user_canceled"));

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            int i = b.readerIndex();
            while (i + 5 <= b.writerIndex()) {
                int type = b.getUnsignedByte(i);
                int length = b.getUnsignedShort(i + 3);
                if (type == ALERT && length == 2 && i + 7 <= b.writerIndex()) {
                    int description = b.getUnsignedByte(i + 6);
                    FlowContext.of(ctx.channel()).clientAlert = NAMES.getOrDefault(description, "alert_" + description);
                }
                i += 5 + length;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
