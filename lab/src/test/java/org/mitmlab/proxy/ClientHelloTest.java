package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ClientHello#parse} on ClientHellos made by real TLS stacks (the JDK's SSLEngine and Netty's
 * BoringSSL engine), on the exact buffer Netty's {@link SslClientHelloHandler} hands over, and on
 * truncated and garbage input (which must never throw). Nothing is sent anywhere: the engines only
 * produce their first flight into memory.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientHelloTest {
    private static final List<String> H2_AND_H1 = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    // ---------------------------------------------------------------- real ClientHellos

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void jdkClientHelloGivesSniAndAlpn(String protocol) throws Exception {
        byte[] record = jdkClientHello("vk.com", H2_AND_H1, protocol);
        assertThat(parseBody(record)).isEqualTo(new ClientHello("vk.com", H2_AND_H1));
    }

    @Test
    void jdkClientHelloWithoutAlpnGivesAnEmptyList() throws Exception {
        byte[] record = jdkClientHello("mail.google.com", List.of(), "TLSv1.3");
        ClientHello hello = parseBody(record);
        assertThat(hello.sni()).isEqualTo("mail.google.com");
        assertThat(hello.alpn()).isEmpty();
    }

    @Test
    void jdkClientHelloWithoutSniGivesNull() throws Exception {
        byte[] record = jdkClientHello(null, List.of("http/1.1"), "TLSv1.3");
        ClientHello hello = parseBody(record);
        assertThat(hello.sni()).isNull();
        assertThat(hello.alpn()).containsExactly("http/1.1");
    }

    @Test
    void jdkClientHelloWithALongNameAndManyProtocols() throws Exception {
        String longName = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(60) + ".example";
        List<String> protocols = List.of("h2", "http/1.1", "spdy/3.1", "x-custom-protocol");
        assertThat(parseBody(jdkClientHello(longName, protocols, "TLSv1.3")))
                .isEqualTo(new ClientHello(longName, protocols));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JDK", "OPENSSL_REFCNT"})
    void nettyClientHelloGivesSniAndAlpn(String providerName) throws Exception {
        SslProvider provider = SslProvider.valueOf(providerName);
        if (provider != SslProvider.JDK) {
            assumeTrue(OpenSsl.isAvailable(), "BoringSSL (netty-tcnative) is not available here");
        }
        byte[] record = nettyClientHello(provider, "www.youtube.com", H2_AND_H1);
        assertThat(parseBody(record)).isEqualTo(new ClientHello("www.youtube.com", H2_AND_H1));
    }

    @Test
    void readerIndexIsRespected() throws Exception {
        byte[] record = jdkClientHello("ok.ru", H2_AND_H1, "TLSv1.3");
        byte[] body = body(record);
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(new byte[] {9, 9, 9, 9, 9, 9, 9});
            buf.writeBytes(body);
            buf.skipBytes(7);
            assertThat(ClientHello.parse(buf)).isEqualTo(new ClientHello("ok.ru", H2_AND_H1));
            assertThat(buf.readerIndex()).as("parse must not consume the buffer").isEqualTo(7);
        } finally {
            buf.release();
        }
    }

    // ---------------------------------------------------------------- through Netty's SslClientHelloHandler

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 64, 100_000})
    void realClientHelloThroughSslClientHelloHandlerInChunks(int chunk) throws Exception {
        byte[] record = jdkClientHello("instagram.com", H2_AND_H1, "TLSv1.3");
        assertThat(throughNettyHandler(record, chunk)).isEqualTo(new ClientHello("instagram.com", H2_AND_H1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 40, 100_000})
    void clientHelloFragmentedOverSeveralTlsRecords(int chunk) throws Exception {
        byte[] record = jdkClientHello("docs.google.com", H2_AND_H1, "TLSv1.3");
        byte[] refragmented = refragment(record, 50);
        assertThat(throughNettyHandler(refragmented, chunk)).isEqualTo(new ClientHello("docs.google.com", H2_AND_H1));
    }

    @Test
    void nonTlsBytesGiveNoClientHelloThroughTheHandler() {
        byte[] http = "GET / HTTP/1.1\r\nHost: vk.com\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<Object> results = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new RecordingHelloHandler(results));
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(http));
            assertThat(results).hasSize(1);
            assertThat(results.get(0)).isEqualTo("null");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    // ---------------------------------------------------------------- malformed input

    @Test
    void everyTruncationOfARealClientHelloParsesWithoutThrowing() throws Exception {
        byte[] body = body(jdkClientHello("www.facebook.com", H2_AND_H1, "TLSv1.3"));
        for (int n = 0; n <= body.length; n++) {
            byte[] prefix = Arrays.copyOf(body, n);
            ClientHello hello = parse(prefix);
            assertThat(hello).as("prefix of %d bytes", n).isNotNull();
            assertThat(hello.alpn()).as("prefix of %d bytes", n).isSubsetOf(H2_AND_H1);
            if (hello.sni() != null) {
                assertThat(hello.sni()).as("prefix of %d bytes", n).isEqualTo("www.facebook.com");
            }
        }
        assertThat(parse(Arrays.copyOf(body, 30))).isEqualTo(new ClientHello(null, List.of()));
    }

    @Test
    void emptyAndShortInputsYieldNothing() {
        assertThat(parse(new byte[0])).isEqualTo(new ClientHello(null, List.of()));
        assertThat(parse(new byte[] {3, 3})).isEqualTo(new ClientHello(null, List.of()));
        assertThat(parse(new byte[34])).isEqualTo(new ClientHello(null, List.of()));
        assertThat(parse(new byte[200])).isEqualTo(new ClientHello(null, List.of()));
    }

    @Test
    void allOnesYieldNothing() {
        byte[] ff = new byte[600];
        Arrays.fill(ff, (byte) 0xff);
        assertThat(parse(ff)).isEqualTo(new ClientHello(null, List.of()));
    }

    @Test
    void randomGarbageNeverThrows() {
        Random random = new Random(2019);
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = new byte[random.nextInt(700)];
            random.nextBytes(junk);
            assertThatCode(() -> parse(junk)).doesNotThrowAnyException();
        }
    }

    @Test
    void corruptedRealClientHellosNeverThrow() throws Exception {
        byte[] body = body(jdkClientHello("vk.com", H2_AND_H1, "TLSv1.3"));
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] copy = body.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            }
            assertThatCode(() -> parse(copy)).doesNotThrowAnyException();
        }
    }

    @Test
    void lengthsPointingPastTheEndAreIgnored() {
        // minimal ClientHello: version, random, empty session id, one suite, one compression method,
        // then an extensions block that claims more than there is
        ByteBuf b = Unpooled.buffer();
        try {
            b.writeShort(0x0303).writeZero(32).writeByte(0).writeShort(2).writeShort(0x1301).writeByte(1).writeByte(0);
            b.writeShort(500); // extensions length: lies
            b.writeShort(0).writeShort(400).writeZero(10); // server_name extension claiming 400 bytes
            assertThat(ClientHello.parse(b)).isEqualTo(new ClientHello(null, List.of()));
        } finally {
            b.release();
        }
    }

    @Test
    void alpnEntryOverrunningItsListIsDropped() {
        ByteBuf b = Unpooled.buffer();
        try {
            b.writeShort(0x0303).writeZero(32).writeByte(0).writeShort(2).writeShort(0x1301).writeByte(1).writeByte(0);
            ByteBuf ext = Unpooled.buffer();
            try {
                // ALPN: list length 6 = "h2" (3) + an entry claiming 10 bytes with 2 present
                ext.writeShort(16).writeShort(2 + 6).writeShort(6)
                        .writeByte(2).writeBytes("h2".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .writeByte(10).writeBytes("ht".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                b.writeShort(ext.readableBytes()).writeBytes(ext);
            } finally {
                ext.release();
            }
            assertThat(ClientHello.parse(b)).isEqualTo(new ClientHello(null, List.of("h2")));
        } finally {
            b.release();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The first TLS record a JDK client engine writes. */
    static byte[] jdkClientHello(String sni, List<String> alpn, String protocol) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = sni == null ? context.createSSLEngine() : context.createSSLEngine(sni, 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(new String[] {protocol});
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        p.setApplicationProtocols(alpn.toArray(String[]::new));
        engine.setSSLParameters(p);
        return firstFlight(engine);
    }

    private static byte[] nettyClientHello(SslProvider provider, String sni, List<String> alpn) throws Exception {
        SslContext context = SslContextBuilder.forClient().sslProvider(provider)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                .build();
        SSLEngine engine = null;
        try {
            engine = context.newEngine(ByteBufAllocator.DEFAULT, sni, 443);
            SSLParameters p = engine.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            engine.setSSLParameters(p);
            return firstFlight(engine);
        } finally {
            if (engine != null) {
                engine.closeOutbound();
                ReferenceCountUtil.release(engine);
            }
            ReferenceCountUtil.release(context);
        }
    }

    private static byte[] firstFlight(SSLEngine engine) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
        assertThat(result.bytesProduced()).isPositive();
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        assertThat(bytes[0]).as("TLS handshake record").isEqualTo((byte) 22);
        assertThat(bytes[5]).as("client_hello").isEqualTo((byte) 1);
        int recordLength = ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        assertThat(bytes.length).as("exactly one record").isEqualTo(5 + recordLength);
        return bytes;
    }

    /** The ClientHello body: after the 5-byte record header and the 4-byte handshake header. */
    static byte[] body(byte[] record) {
        int length = ((record[6] & 0xff) << 16) | ((record[7] & 0xff) << 8) | (record[8] & 0xff);
        assertThat(record.length).isGreaterThanOrEqualTo(9 + length);
        return Arrays.copyOfRange(record, 9, 9 + length);
    }

    private static ClientHello parseBody(byte[] record) {
        return parse(body(record));
    }

    private static ClientHello parse(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return ClientHello.parse(buf);
        } finally {
            buf.release();
        }
    }

    /** Re-splits one handshake record's payload into records of at most {@code size} bytes. */
    private static byte[] refragment(byte[] record, int size) {
        byte[] payload = Arrays.copyOfRange(record, 5, record.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < payload.length; i += size) {
            int n = Math.min(size, payload.length - i);
            out.write(22);
            out.write(record[1]);
            out.write(record[2]);
            out.write(n >> 8);
            out.write(n & 0xff);
            out.write(payload, i, n);
        }
        return out.toByteArray();
    }

    /** Feeds the bytes in chunks through a real SslClientHelloHandler whose lookup is ClientHello.parse. */
    private static ClientHello throughNettyHandler(byte[] bytes, int chunk) {
        List<Object> results = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new RecordingHelloHandler(results));
        try {
            for (int i = 0; i < bytes.length; i += chunk) {
                ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk))));
                if (!results.isEmpty()) {
                    // the handler removed itself; the rest goes straight to the channel's inbound
                    assertThat(i + chunk).as("decided only once the ClientHello is complete").isGreaterThanOrEqualTo(bytes.length);
                }
            }
            assertThat(results).as("one lookup").hasSize(1);
            // nothing was consumed: every byte is handed on for the next handler (relay or SslHandler)
            ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
            for (Object o; (o = ch.readInbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                try {
                    byte[] copy = new byte[b.readableBytes()];
                    b.readBytes(copy);
                    forwarded.writeBytes(copy);
                } finally {
                    b.release();
                }
            }
            assertThat(forwarded.toByteArray()).isEqualTo(bytes);
            return (ClientHello) results.get(0);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Like ClientHelloHandler's lookup: parse, record, then step aside. */
    private static final class RecordingHelloHandler extends SslClientHelloHandler<ClientHello> {
        private final List<Object> results;

        RecordingHelloHandler(List<Object> results) {
            this.results = results;
        }

        @Override
        protected Future<ClientHello> lookup(ChannelHandlerContext ctx, ByteBuf hello) {
            return ctx.executor().newSucceededFuture(hello == null ? null : ClientHello.parse(hello));
        }

        @Override
        protected void onLookupComplete(ChannelHandlerContext ctx, Future<ClientHello> future) {
            ClientHello hello = future.getNow();
            results.add(hello == null ? "null" : hello);
            ctx.pipeline().remove(this);
        }
    }
}
