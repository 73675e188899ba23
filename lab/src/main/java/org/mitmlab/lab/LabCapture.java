package org.mitmlab.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The loopback ports of a running lab, and the tcpdump and tshark command lines that capture and
 * decrypt its traffic: the proxy port carries the client leg (CONNECT, then TLS with the forged
 * certificate), the origin's HTTPS port the proxy's own leg to the simulated Internet.
 * Wireshark knows neither port, so the tshark line tells it which dissector each one needs.
 *
 * @param proxyPort       the proxy listener
 * @param originHttpsPort the simulated Internet's HTTPS listener
 * @param originHttpPort  its plain-HTTP listener (0: not captured)
 */
public record LabCapture(int proxyPort, int originHttpsPort, int originHttpPort) {
    public LabCapture {
        if (proxyPort <= 0 || proxyPort > 65535 || originHttpsPort <= 0 || originHttpsPort > 65535
                || originHttpPort < 0 || originHttpPort > 65535) {
            throw new IllegalArgumentException("lab ports must be 1..65535");
        }
    }

    public static LabCapture of(EmbeddedLab lab) {
        return new LabCapture(lab.proxyAddress().getPort(), lab.originHttpsAddress().getPort(), lab.originHttpAddress().getPort());
    }

    /** From {@code lab.json}: its addresses are {@code host:port}. */
    public static LabCapture of(LabInfo info) {
        return new LabCapture(port(info.proxy()), port(info.originHttps()), info.originHttp() == null ? 0 : port(info.originHttp()));
    }

    private static int port(String hostPort) {
        Objects.requireNonNull(hostPort, "address in lab.json");
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private List<Integer> ports() {
        List<Integer> ports = new ArrayList<>(List.of(proxyPort, originHttpsPort));
        if (originHttpPort > 0) {
            ports.add(originHttpPort);
        }
        return ports;
    }

    /** The capture filter: only the lab's ports ({@code port 8080 or port 41234 ...}). */
    public String filter() {
        return ports().stream().map(p -> "port " + p).collect(Collectors.joining(" or "));
    }

    /**
     * {@code tcpdump} on the loopback interface, writing {@code out}, each packet flushed at once
     * ({@code -U}) so the file is complete when tcpdump is stopped, and at most {@code maxPackets}.
     */
    public List<String> tcpdump(Path out, int maxPackets) {
        return List.of("tcpdump", "-i", "lo", "-n", "-U", "--immediate-mode", "-s", "0", "-c", Integer.toString(maxPackets),
                "-w", out.toString(), filter());
    }

    /** The decode-as options tshark (and Wireshark's "Decode As...") needs for the lab's ports. */
    public List<String> decodeAs() {
        List<String> opts = new ArrayList<>(List.of("-d", "tcp.port==" + proxyPort + ",http",
                "-d", "tcp.port==" + originHttpsPort + ",tls"));
        if (originHttpPort > 0) {
            opts.addAll(List.of("-d", "tcp.port==" + originHttpPort + ",http"));
        }
        return opts;
    }

    /** {@code tshark} reading {@code pcap}, decrypting with {@code keyLog}, listing the HTTP/1.1 and HTTP/2 requests. */
    public List<String> tsharkRequests(Path pcap, Path keyLog) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-o", "tls.keylog_file:" + keyLog));
        cmd.addAll(decodeAs());
        cmd.addAll(List.of("-Y", "http.request or http2.type == 1", "-T", "fields", "-e", "tcp.dstport",
                "-e", "http.host", "-e", "http.request.uri", "-e", "http2.header.value", "-E", "occurrence=a"));
        return cmd;
    }

    /** A command line as a student types it (arguments with spaces or shell characters quoted). */
    public static String shell(List<String> command) {
        return command.stream().map(a -> a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
