package dev.scimflow.store;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import tools.jackson.databind.ObjectWriter;

/**
 * One row in PostgreSQL's binary COPY format: the number of fields, then each field as its length and its value in
 * the type's binary form (the form {@code *_recv} reads). Binary rows spare the server parsing text into uuids,
 * timestamps, numbers and arrays, and spare both sides the escaping of text and CSV, which is most of what a text
 * COPY of documents costs.
 */
final class CopyTuple {

    /** PostgreSQL counts time from 2000-01-01T00:00:00Z, in microseconds. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    private static final int TEXT_OID = 25;
    private static final byte JSONB_VERSION = 1;

    /**
     * Rows are built in a buffer of the thread's own, and only the finished row is copied out: allocating (and zeroing)
     * a buffer per row was a good part of what encoding a row cost.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);

    private byte[] bytes;
    private int size;

    CopyTuple(int fields) {
        bytes = SCRATCH.get();
        int16(fields);
    }

    CopyTuple text(String value) {
        if (value == null) {
            return nullField();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int32(utf8.length);
        put(utf8);
        return this;
    }

    CopyTuple bool(boolean value) {
        int32(1);
        ensure(1);
        bytes[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    CopyTuple int8(long value) {
        int32(8);
        int64(value);
        return this;
    }

    CopyTuple uuid(UUID value) {
        int32(16);
        int64(value.getMostSignificantBits());
        int64(value.getLeastSignificantBits());
        return this;
    }

    CopyTuple timestamptz(Instant value) {
        int32(8);
        int64(postgresMicros(value));
        return this;
    }

    /**
     * A jsonb value from {@code length} bytes of JSON text in UTF-8 at {@code offset}; the server parses it as it would
     * the same text in a text COPY.
     */
    CopyTuple jsonb(byte[] json, int offset, int length) {
        int32(length + 1);
        ensure(1 + length);
        bytes[size++] = JSONB_VERSION;
        System.arraycopy(json, offset, bytes, size, length);
        size += length;
        return this;
    }

    /** A jsonb value: the value as the writer writes it, straight into the row. */
    CopyTuple jsonb(ObjectWriter writer, Object value) {
        int lengthAt = size;
        int32(0);
        ensure(1);
        bytes[size++] = JSONB_VERSION;
        int start = size;
        writer.writeValue(new OutputStream() {
            @Override
            public void write(int b) {
                ensure(1);
                bytes[size++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                ensure(len);
                System.arraycopy(b, off, bytes, size, len);
                size += len;
            }
        }, value);
        int length = size - start + 1;
        bytes[lengthAt] = (byte) (length >>> 24);
        bytes[lengthAt + 1] = (byte) (length >>> 16);
        bytes[lengthAt + 2] = (byte) (length >>> 8);
        bytes[lengthAt + 3] = (byte) length;
        return this;
    }

    /** A one-dimensional text[] without nulls; an empty array has no dimension, as PostgreSQL's '{}' has none. */
    CopyTuple textArray(String[] values) {
        byte[][] elements = new byte[values.length][];
        int length = 12 + (values.length == 0 ? 0 : 8);
        for (int i = 0; i < values.length; i++) {
            elements[i] = values[i].getBytes(StandardCharsets.UTF_8);
            length += 4 + elements[i].length;
        }
        int32(length);
        int32(values.length == 0 ? 0 : 1);
        int32(0);
        int32(TEXT_OID);
        if (values.length > 0) {
            int32(values.length);
            int32(1);
        }
        for (byte[] element : elements) {
            int32(element.length);
            put(element);
        }
        return this;
    }

    /** The row; the tuple is not to be used afterwards. */
    byte[] toByteArray() {
        byte[] row = Arrays.copyOf(bytes, size);
        SCRATCH.set(bytes); // it may have grown
        bytes = null;
        return row;
    }

    /**
     * An instant as PostgreSQL stores it: microseconds since its epoch. A finer instant is rounded as PostgreSQL rounds
     * the fraction of a timestamp given as text ({@code rint(fraction * 1e6)} on the double the digits denote), so that a
     * row reads back exactly as if the instant had been sent as {@link Instant#toString()}.
     */
    static long postgresMicros(Instant value) {
        long fraction = (long) Math.rint(value.getNano() / 1e9 * 1e6);
        return Math.addExact(Math.multiplyExact(value.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L), fraction);
    }

    private CopyTuple nullField() {
        int32(-1);
        return this;
    }

    private void int16(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void int32(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void int64(long value) {
        int32((int) (value >>> 32));
        int32((int) value);
    }

    private void put(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
