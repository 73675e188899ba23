package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The two fields of a ClientHello the proxy needs: the server name and the offered ALPN protocols.
 * Netty's SNI handlers expose only the name; the ALPN list has to be read here so the proxy can
 * offer the origin exactly what the client offered (and then agree with the client on the
 * protocol the origin chose).
 */
record ClientHello(String sni, List<String> alpn) {
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;

    ClientHello {
        alpn = List.copyOf(alpn);
    }

    /**
     * Parses a ClientHello body (from client_version on, as {@code SslClientHelloHandler} hands it).
     * Malformed input yields what could be read; it never throws on bad lengths.
     */
    static ClientHello parse(ByteBuf hello) {
        String sni = null;
        List<String> alpn = new ArrayList<>();
        int i = hello.readerIndex();
        int end = hello.writerIndex();
        i += 34; // version + random
        if (i + 1 > end) {
            return new ClientHello(null, alpn);
        }
        i += 1 + hello.getUnsignedByte(i); // session id
        if (i + 2 > end) {
            return new ClientHello(null, alpn);
        }
        i += 2 + hello.getUnsignedShort(i); // cipher suites
        if (i + 1 > end) {
            return new ClientHello(null, alpn);
        }
        i += 1 + hello.getUnsignedByte(i); // compression methods
        if (i + 2 > end) {
            return new ClientHello(null, alpn);
        }
        int extEnd = Math.min(end, i + 2 + hello.getUnsignedShort(i));
        i += 2;
        while (i + 4 <= extEnd) {
            int type = hello.getUnsignedShort(i);
            int len = hello.getUnsignedShort(i + 2);
            int body = i + 4;
            if (body + len > extEnd) {
                break;
            }
            if (type == EXT_SERVER_NAME && len >= 5) {
                // server_name_list length (2), name_type (1) = host_name(0), name length (2), name
                int nameType = hello.getUnsignedByte(body + 2);
                int nameLen = hello.getUnsignedShort(body + 3);
                if (nameType == 0 && body + 5 + nameLen <= body + len) {
                    sni = hello.toString(body + 5, nameLen, StandardCharsets.US_ASCII);
                }
            } else if (type == EXT_ALPN && len >= 2) {
                int j = body + 2;
                int listEnd = Math.min(body + 2 + hello.getUnsignedShort(body), body + len);
                while (j < listEnd) {
                    int n = hello.getUnsignedByte(j);
                    if (j + 1 + n > listEnd) {
                        break;
                    }
                    alpn.add(hello.toString(j + 1, n, StandardCharsets.US_ASCII));
                    j += 1 + n;
                }
            }
            i = body + len;
        }
        return new ClientHello(sni, alpn);
    }
}
