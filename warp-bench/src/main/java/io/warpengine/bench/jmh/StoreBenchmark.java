package io.warpengine.bench.jmh;

import io.warpengine.bench.workload.Distribution;
import io.warpengine.bench.workload.KeyDistribution;
import io.warpengine.bench.workload.KeySpace;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * {@code get} and {@code put} of one {@link Store} on existing keys, in operations per second.
 *
 * <p>Each trial fills its store with every key of a {@link KeySpace} ({@code keys} keys,
 * {@code valueSize}-byte values). Each benchmark thread then walks its own key-index sequence,
 * drawn in {@code @Setup} from the {@link Distribution} with a fixed seed (per thread index), so
 * that no random number is generated while measuring and the engine and the map see exactly the
 * same keys in the same order. A put writes a value to a key that already holds one, so neither
 * store grows while measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {

  /** Key indexes drawn ahead per thread; a power of two so that wrapping is a mask. */
  static final int SEQUENCE_LENGTH = 1 << 20;
  private static final long SEED = 0x5EED_CAFEL;

  @Param
  public Store store;

  @Param
  public Distribution distribution;

  @Param("1000000")
  public int keys;

  @Param("100")
  public int valueSize;

  private Store.Target target;
  private KeySpace keySpace;
  private KeyDistribution keyDistribution;

  @Setup(Level.Trial)
  public void fill() {
    keySpace = new KeySpace(keys);
    keyDistribution = distribution.over(keys);
    target = store.open();
    byte[] value = new byte[valueSize];
    new SplittableRandom(SEED).nextBytes(value);
    // A distinct array per key, so that every store's heap holds `keys` values, as a real one
    // would; the bare map would otherwise hold a million references to a single array.
    for (int i = 0; i < keys; i++) {
      target.put(keySpace.name(i), value.clone());
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    target.close();
  }

  @Benchmark
  public byte[] get(Cursor cursor) {
    return target.get(keySpace.name(cursor.nextKey()));
  }

  @Benchmark
  public Object view(Cursor cursor) {
    return target.view(keySpace.name(cursor.nextKey()));
  }

  @Benchmark
  public void put(Cursor cursor) {
    target.put(keySpace.name(cursor.nextKey()), cursor.value);
  }

  /** One thread's key sequence and the value it writes. */
  @State(Scope.Thread)
  public static class Cursor {
    private int[] sequence;
    private int next;
    private byte[] value;

    @Setup(Level.Trial)
    public void draw(StoreBenchmark benchmark, ThreadParams thread) {
      long seed = SEED + thread.getThreadIndex();
      sequence = benchmark.keyDistribution.sequence(SEQUENCE_LENGTH, seed);
      value = new byte[benchmark.valueSize];
      new SplittableRandom(seed).nextBytes(value);
    }

    int nextKey() {
      int key = sequence[next];
      next = (next + 1) & (SEQUENCE_LENGTH - 1);
      return key;
    }
  }
}
