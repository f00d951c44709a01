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
 *
 * <p>With {@code alternate}, a trial measures two stores in one forked JVM: it also fills
 * {@code baseline} (by default the bare engine, {@link Store#ENGINE}), and its iterations,
 * warm-ups included, take turns between the baseline and {@code store} in the order baseline,
 * store, store, baseline, repeated ({@link #measuresStore}). Whatever makes one fork run faster
 * than another (on a shared virtual machine, by a third or more) then hits both alike, and a
 * steady drift within the fork cancels over each four iterations. Both stores' code is compiled
 * in the same JVM, so the bare engine runs the engine code as compiled for a plugin too; an
 * engine-against-engine trial shows what that and the order of filling amount to.
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

  /** Whether the iterations alternate between {@code baseline} and {@code store}: see above. */
  @Param("false")
  public boolean alternate;

  /** The store {@code store} takes turns with when alternating. */
  @Param("ENGINE")
  public Store baseline;

  /** The store the next operation goes to: {@link #chosen} or, alternating, {@link #other}. */
  private Store.Target target;
  private Store.Target chosen;
  private Store.Target other;
  private int iteration;
  private KeySpace keySpace;
  private KeyDistribution keyDistribution;

  @Setup(Level.Trial)
  public void fill() {
    keySpace = new KeySpace(keys);
    keyDistribution = distribution.over(keys);
    chosen = filled(store);
    other = alternate ? filled(baseline) : null;
    target = chosen;
  }

  private Store.Target filled(Store which) {
    Store.Target filling = which.open();
    byte[] value = new byte[valueSize];
    new SplittableRandom(SEED).nextBytes(value);
    // A distinct array per key, so that every store's heap holds `keys` values, as a real one
    // would; the bare map would otherwise hold a million references to a single array.
    for (int i = 0; i < keys; i++) {
      filling.put(keySpace.name(i), value.clone());
    }
    return filling;
  }

  @Setup(Level.Iteration)
  public void takeTurns() {
    if (other != null) {
      target = measuresStore(iteration++) ? chosen : other;
    }
  }

  /** The store the next operation goes to. */
  Store.Target target() {
    return target;
  }

  /**
   * Whether iteration {@code index} (from 0, warm-ups first) of an alternating trial measures
   * {@code store}, rather than the bare engine: in each four, the second and the third.
   */
  static boolean measuresStore(int index) {
    return ((index + 1) & 2) != 0;
  }

  @TearDown(Level.Trial)
  public void close() {
    chosen.close();
    if (other != null) {
      other.close();
    }
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
