package org.mitmlab.event;

/** One HTTP header, kept in order and with duplicates, as it crossed the wire. */
public record HeaderField(String name, String value) {
}
