package io.github.zkharness.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One direction of a {@link Connection}: reads from a source channel and writes to a destination
 * channel, applying the link's stall, latency and bandwidth faults. Used by the selector thread only.
 *
 * <p>Bytes flow {@code source -> [delayed chunks] -> buffer -> destination}. Without latency (and with
 * nothing still delayed) reads go straight into the buffer, so pass-through costs one read and one
 * write per chunk. With latency, each read becomes a chunk with a due time; a chunk moves into the
 * buffer once due. Chunks leave in the order they were read.
 */
final class Pipe extends LinkHub.Timed {

    private final Connection connection;
    private final Link link;
    private final Direction direction;
    /** Bytes ready for the destination, in fill mode: {@code [0, position)} is pending. */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(LinkHub.BUFFER_SIZE);

    private final ArrayDeque<Chunk> delayed = new ArrayDeque<>();
    private long delayedBytes;
    private boolean eof;
    private boolean outputShut;

    // token bucket of the bandwidth limit
    private long rate;
    private double tokens;
    private long refilledAt;

    Pipe(Connection connection, Direction direction) {
        this.connection = connection;
        this.link = connection.link;
        this.direction = direction;
    }

    private SocketChannel source() {
        return direction == Direction.FORWARD ? connection.client : connection.server;
    }

    private SocketChannel destination() {
        return direction == Direction.FORWARD ? connection.server : connection.client;
    }

    private boolean stalled() {
        return link.stalled(direction);
    }

    boolean isOutputShut() {
        return outputShut;
    }

    /**
     * Moves what can be moved now: delivers due bytes, reads once from the source if {@code readable},
     * propagates end-of-stream, and arranges a wake-up if bytes wait for a due time or for tokens.
     */
    void pump(boolean readable, long now) throws IOException {
        if (connection.closed()) {
            return;
        }
        deliver(now);
        if (readable && wantsRead() && read(now) > 0) {
            deliver(now);
        }
        if (eof && !outputShut && buffer.position() == 0 && delayed.isEmpty() && !stalled()) {
            outputShut = true;
            destination().shutdownOutput();
            connection.outputShut();
        }
        if (!connection.closed()) {
            scheduleWakeUp(now);
        }
    }

    /** Whether the source should be watched for reading. */
    boolean wantsRead() {
        if (!connection.connected() || eof || stalled()) {
            return false;
        }
        return passThrough() ? buffer.hasRemaining() : delayedBytes < LinkHub.MAX_DELAYED_BYTES;
    }

    /** Whether the destination should be watched for writability (bytes wait for socket space only). */
    boolean wantsWrite() {
        return connection.connected() && !stalled() && buffer.position() > 0 && allowance(System.nanoTime()) > 0;
    }

    /** The link's faults changed: pick up a new bandwidth limit with a full bucket. */
    void faultsChanged() {
        long limit = link.bandwidthLimit();
        if (limit != rate) {
            rate = limit;
            tokens = burst(limit);
            refilledAt = System.nanoTime();
        }
    }

    /** Makes every delayed chunk due now (latency switched off). */
    void releaseDelayed(long now) {
        for (Chunk chunk : delayed) {
            if (chunk.due - now > 0) {
                chunk.due = now;
            }
        }
    }

    @Override
    void onTimer(long now) throws IOException {
        pump(false, now);
        connection.updateInterest();
    }

    @Override
    void onTimerFailure(Exception e) {
        connection.reset(e);
    }

    private boolean passThrough() {
        return delayed.isEmpty() && !link.hasLatency();
    }

    private int read(long now) throws IOException {
        int n;
        if (passThrough()) {
            n = source().read(buffer);
        } else {
            ByteBuffer scratch = connection.hub.scratch();
            scratch.clear();
            long room = LinkHub.MAX_DELAYED_BYTES - delayedBytes;
            if (room < scratch.capacity()) {
                scratch.limit((int) room);
            }
            n = source().read(scratch);
            if (n > 0) {
                scratch.flip();
                byte[] data = new byte[n];
                scratch.get(data);
                delayed.addLast(new Chunk(data, now + link.nextDelayNanos()));
                delayedBytes += n;
            }
        }
        if (n < 0) {
            eof = true;
        }
        return n;
    }

    private void deliver(long now) throws IOException {
        if (stalled()) {
            return;
        }
        while (true) {
            moveDue(now);
            int pending = buffer.position();
            if (pending == 0) {
                return;
            }
            long allowance = allowance(now);
            if (allowance <= 0) {
                return;
            }
            int attempt = (int) Math.min(pending, allowance);
            buffer.flip();
            buffer.limit(attempt);
            int written = destination().write(buffer);
            buffer.limit(pending);
            buffer.compact();
            if (written > 0) {
                link.addForwarded(direction, written);
                if (rate > 0) {
                    tokens -= written;
                }
            }
            if (written < attempt || delayed.isEmpty()) {
                return; // socket full (OP_WRITE will tell), out of tokens (timer), or nothing else due
            }
        }
    }

    private void moveDue(long now) {
        while (!delayed.isEmpty() && buffer.hasRemaining()) {
            Chunk chunk = delayed.peekFirst();
            if (chunk.due - now > 0) {
                return;
            }
            int n = Math.min(chunk.data.length - chunk.offset, buffer.remaining());
            buffer.put(chunk.data, chunk.offset, n);
            chunk.offset += n;
            delayedBytes -= n;
            if (chunk.offset == chunk.data.length) {
                delayed.pollFirst();
            }
        }
    }

    /** Whole bytes the bandwidth limit lets through now ({@link Long#MAX_VALUE} when unlimited). */
    private long allowance(long now) {
        long limit = link.bandwidthLimit();
        if (limit != rate) {
            rate = limit;
            tokens = burst(limit);
            refilledAt = now;
        }
        if (rate == 0) {
            return Long.MAX_VALUE;
        }
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst(rate), tokens + elapsed * (double) rate / 1e9);
            refilledAt = now;
        }
        return (long) tokens;
    }

    /** Bucket size: a tenth of a second's worth, between 1 byte and one buffer. */
    private static double burst(long rate) {
        return Math.max(1, Math.min(rate / 10, LinkHub.BUFFER_SIZE));
    }

    private void scheduleWakeUp(long now) {
        if (stalled()) {
            return; // nothing moves until un-stalled, which pumps again
        }
        long due = 0;
        boolean wake = false;
        int pending = buffer.position();
        if (pending > 0 && rate > 0 && allowance(now) <= 0) {
            double missing = Math.min(pending, burst(rate)) - tokens;
            long wait = Math.max(1, (long) Math.ceil(missing * 1e9 / rate));
            due = now + wait;
            wake = true;
        }
        if (!delayed.isEmpty() && buffer.hasRemaining()) {
            long chunkDue = delayed.peekFirst().due;
            if (!wake || chunkDue - due < 0) {
                due = chunkDue;
                wake = true;
            }
        }
        if (wake) {
            connection.hub.schedule(this, due);
        }
    }

    private static final class Chunk {
        final byte[] data;
        int offset;
        long due;

        Chunk(byte[] data, long due) {
            this.data = data;
            this.offset = 0;
            this.due = due;
        }
    }
}
