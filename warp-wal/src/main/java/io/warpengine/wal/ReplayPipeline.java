package io.warpengine.wal;

import io.warpengine.spi.Journal.RecoveryHandler;
import io.warpengine.wal.RecordFormat.Delete;
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

  /** One put (value non-null) or delete (value null) to apply. */
  private record Op(String key, byte[] value, long location) {}

  private static final Op[] END = new Op[0];

  private final RecoveryHandler handler;
  private final BlockingQueue<Op[]> queue = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
  private final Thread applier;
  private Op[] batch = new Op[BATCH];
  private int size;
  private volatile Throwable failure;
  private boolean finished;

  ReplayPipeline(RecoveryHandler handler) {
    this.handler = handler;
    this.applier = Runtime.getRuntime().availableProcessors() < 2 ? null
        : Thread.ofPlatform().daemon().name("warp-wal-recovery").start(this::applyAll);
  }

  void put(Put p, long location) {
    add(new Op(p.key(), p.value(), location));
  }

  void delete(Delete d) {
    add(new Op(d.key(), null, 0));
  }

  private void add(Op op) {
    if (applier == null) {
      apply(op);
      return;
    }
    batch[size++] = op;
    if (size == BATCH) {
      handOff(batch);
      batch = new Op[BATCH];
      size = 0;
    }
  }

  private void apply(Op op) {
    if (op.value() == null) {
      handler.delete(op.key());
    } else {
      handler.put(op.key(), op.value(), op.location());
    }
  }

  private void applyAll() {
    try {
      while (true) {
        Op[] ops = queue.take();
        if (ops == END) {
          return;
        }
        if (failure == null) {
          try {
            for (Op op : ops) {
              if (op == null) {
                break;
              }
              apply(op);
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

  private void handOff(Op[] ops) {
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
    if (size > 0) {
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
   * Stops the applier without applying what is still queued (recovery failed), and waits for
   * it, so that no handler call outlives a failed recovery.
   */
  @Override
  public void close() {
    if (applier != null && !finished) {
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
