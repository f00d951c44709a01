package io.warpengine.wal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file channel with three faults. While {@code full} is set, writes fail as on a full disk
 * of an ordinary (not copy-on-write) filesystem: a write that needs new space, past the end of
 * the file, fails; one into space the file already has succeeds. While {@code failing} is set,
 * every write fails (an I/O error). When {@code syncFailing} is set, the next sync fails and
 * clears it: one failed fsync, after which the disk would report success again (as Linux does
 * once it has reported a writeback error). {@code syncsAfterFailure}, -1 until a sync has
 * failed, then counts the syncs asked for after it.
 */
final class FaultyChannel extends FileChannel {

  private final FileChannel delegate;
  private final AtomicBoolean full;
  private final AtomicBoolean failing;
  private final AtomicBoolean syncFailing;
  private final AtomicInteger syncsAfterFailure;

  FaultyChannel(FileChannel delegate, AtomicBoolean full) {
    this(delegate, full, new AtomicBoolean());
  }

  FaultyChannel(FileChannel delegate, AtomicBoolean full, AtomicBoolean failing) {
    this(delegate, full, failing, new AtomicBoolean(), new AtomicInteger(-1));
  }

  FaultyChannel(FileChannel delegate, AtomicBoolean full, AtomicBoolean failing,
      AtomicBoolean syncFailing, AtomicInteger syncsAfterFailure) {
    this.delegate = delegate;
    this.full = full;
    this.failing = failing;
    this.syncFailing = syncFailing;
    this.syncsAfterFailure = syncsAfterFailure;
  }

  private void check(ByteBuffer src, long position) throws IOException {
    if (failing.get()) {
      throw new IOException("Input/output error");
    }
    long room = delegate.size() - position;
    if (full.get() && src.remaining() > room) {
      // Like a real full disk: part of the buffer may have gone out before the error.
      int part = (int) Math.max(room, src.remaining() / 2);
      if (part > 0) {
        delegate.write(src.slice(src.position(), part), position);
      }
      throw new IOException("No space left on device");
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    check(src, delegate.position());
    return delegate.write(src);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    check(src, position);
    return delegate.write(src, position);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    if (full.get() || failing.get()) {
      throw new IOException("No space left on device");
    }
    return delegate.write(srcs, offset, length);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    delegate.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    if (syncFailing.getAndSet(false)) {
      syncsAfterFailure.set(0);
      throw new IOException("Input/output error");
    }
    syncsAfterFailure.getAndUpdate(n -> n < 0 ? n : n + 1);
    delegate.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public MemorySegment map(MapMode mode, long position, long size, Arena arena)
      throws IOException {
    return delegate.map(mode, position, size, arena);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
