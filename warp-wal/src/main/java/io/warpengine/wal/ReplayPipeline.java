package io.warpengine.wal;

import io.warpengine.spi.Journal.RecoveryHandler;
import io.warpengine.wal.RecordFormat.Delete;
import io.warpengine.wal.RecordFormat.LogRecord;
import io.warpengine.wal.RecordFormat.Put;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands the puts and deletes recovery decodes to the engine's {@link RecoveryHandler} on a
 * second thread, in log order, so that reading and checking the next records overlaps with
 * applying these: on a machine with more than one core, recovery then takes about as long as
 * the slower of the two instead of their sum. With one core the handler is called inline.
 *
 * <p>Records travel in batches through a short bounded queue (the reader waits when the
 * applier falls behind, so memory stays bounded). The handler sees one call at a time, from one
 * thread, in the order of the log. A handler that throws stops the replay: the applier skips
 * the rest, and the exception reaches the thread that recovers at its next hand-off or at
 * {@link #finish}.
 */
final class ReplayPipeline implements AutoCloseable {

  private static final int BATCH = 2048;
  private static final int BATCHES_IN_FLIGHT = 8;

  /** Decoded puts and deletes, and each put's location; the records themselves, not copies. */
  private static final class Batch {
    final LogRecord[] records = new LogRecord[BATCH];
    final long[] locations = new long[BATCH];
    int size;
  }

  private static final Batch END = new Batch();

  private final RecoveryHandler handler;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
  private final Thread applier;
  private Batch batch = new Batch();
  private volatile Throwable failure;
  private boolean finished;

  ReplayPipeline(RecoveryHandler handler) {
    this.handler = handler;
    this.applier = Runtime.getRuntime().availableProcessors() < 2 ? null
        : Thread.ofPlatform().daemon().name("warp-wal-recovery").start(this::applyAll);
  }

  void put(Put p, long location) {
    add(p, location);
  }

  void delete(Delete d) {
    add(d, 0);
  }

  private void add(LogRecord record, long location) {
    if (applier == null) {
      apply(record, location);
      return;
    }
    batch.records[batch.size] = record;
    batch.locations[batch.size++] = location;
    if (batch.size == BATCH) {
      handOff(batch);
      batch = new Batch();
    }
  }

  private void apply(LogRecord record, long location) {
    switch (record) {
      case Put p -> handler.put(p.key(), p.value(), location);
      case Delete d -> handler.delete(d.key());
      default -> throw new IllegalArgumentException("only puts and deletes are replayed: " + record);
    }
  }

  private void applyAll() {
    try {
      while (true) {
        Batch ops = queue.take();
        if (ops == END) {
          return;
        }
        if (failure == null) {
          try {
            for (int i = 0; i < ops.size; i++) {
              apply(ops.records[i], ops.locations[i]);
            }
          } catch (RuntimeException | Error e) {
            failure = e; // keep taking batches, so that the reader never blocks on a full queue
          }
        }
      }
    } catch (InterruptedException e) {
      failure = e;
    }
  }

  private void handOff(Batch ops) {
    rethrowFailure();
    try {
      queue.put(ops);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("recovery was interrupted", e);
    }
  }

  /** Waits until every record handed over is applied; rethrows what the handler threw. */
  void finish() {
    if (applier == null || finished) {
      return;
    }
    finished = true;
    if (batch.size > 0) {
      handOff(batch);
    }
    handOff(END);
    try {
      applier.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("recovery was interrupted", e);
    }
    rethrowFailure();
  }

  private void rethrowFailure() {
    switch (failure) {
      case null -> { }
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException("recovery's replay thread failed", failure);
    }
  }

  /**
   * Stops the applier without applying what is still queued (recovery failed, perhaps in
   * {@link #finish} itself, before the end was handed over), and waits for it, so that no
   * handler call outlives a failed recovery and no thread waits for batches forever.
   */
  @Override
  public void close() {
    if (applier != null && applier.isAlive()) {
      finished = true;
      applier.interrupt();
      boolean interrupted = false;
      while (applier.isAlive()) {
        try {
          applier.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
