package org.mitmlab.proxy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.0.0.0/8} or {@code ::1/128}. */
public record Cidr(InetAddress network, int prefix) {
    public Cidr {
        int max = network.getAddress().length * 8;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix must be 0.." + max);
        }
    }

    /** Parses "a.b.c.d/n" (a bare address means a single host); the message says what is wrong. */
    public static Cidr parse(String text) {
        String[] parts = text.trim().split("/", 2);
        byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(parts[0]);
        if (literal == null) {
            throw new IllegalArgumentException("'" + text + "' is not an address range; write it like 10.0.0.0/8");
        }
        try {
            InetAddress address = InetAddress.getByAddress(literal); // never a DNS lookup
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.getAddress().length * 8;
            return new Cidr(address, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address range; write it like 10.0.0.0/8");
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int bits = a.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, n).and(mask));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
